package io.relata.runtime.marketing;

import io.relata.api.security.Actor;
import io.relata.runtime.TestPlatform;
import java.time.Clock;
import java.util.List;

/**
 * A test platform on the shipped metadata whose store sends the confirmations of consents and follows campaign
 * responses (their write hooks).
 */
final class MarketingPlatform implements AutoCloseable {

    static final String BASE_URL = "http://crm.example.test";

    final TestPlatform platform;
    final Consents consents;
    /** What a test does after each write, inside its transaction: throwing there rolls the write back (a crash). */
    volatile java.util.function.Consumer<io.relata.store.RecordWriteHook.Written> onWritten = written -> { };

    MarketingPlatform(String databaseKind, Clock clock) throws Exception {
        this(databaseKind, clock, List.of());
    }

    /** @param extra metadata directories besides the shipped metadata (a test's own roles) */
    MarketingPlatform(String databaseKind, Clock clock, List<java.nio.file.Path> extra) throws Exception {
        Consents[] made = new Consents[1];
        platform = new TestPlatform(databaseKind, extra, clock, p -> {
            made[0] = new Consents(() -> p.model, () -> p.as(Actor.SYSTEM), p.transactions, p.outbox, () -> BASE_URL,
                    clock);
            return io.relata.store.RecordWriteHook.all(made[0].hook(),
                    new CampaignResponses(() -> p.as(Actor.SYSTEM), clock).hook(), new io.relata.store.RecordWriteHook() {
                        @Override
                        public void written(Written written) {
                            onWritten.accept(written);
                        }
                    });
        });
        consents = made[0];
    }

    @Override
    public void close() throws Exception {
        platform.close();
    }
}
