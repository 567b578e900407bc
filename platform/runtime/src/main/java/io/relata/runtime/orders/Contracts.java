package io.relata.runtime.orders;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;
import io.relata.api.record.Record;
import io.relata.api.record.ValidationException;
import io.relata.store.JdbcTransactions;
import io.relata.store.SecuredRecordStore;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Renewing a contract: a new opportunity for the customer ("Renewal: …", the contract's value, closing at the
 * contract's end) with a draft quote holding the contract's current lines (those of its accepted quote, priced from
 * today's lists), and the contract marked {@value #RENEWED} with a link to the opportunity. All or nothing, with the
 * user's rights, rules and processes; the rest of a contract's life (up for renewal, automatic renewal, churn) is
 * metadata/processes/contract.yaml.
 */
public final class Contracts {

    public static final String CONTRACT = "contract";
    public static final String RENEWED = "renewed";
    /** Set by a renewal only: read-only for users. */
    public static final Set<String> PLATFORM_FIELDS = Set.of("renewal_opportunity");
    /** The contract's phases from which it may be renewed. */
    public static final Set<String> RENEWABLE = Set.of("active", "renewal_due");

    private final Supplier<MetadataModel> models;
    private final JdbcTransactions transactions;
    private final String defaultLanguage;
    private final Clock clock;

    /** @param clock in the platform's zone: a renewal opportunity closes at the contract's end if that is ahead */
    public Contracts(Supplier<MetadataModel> models, JdbcTransactions transactions, String defaultLanguage, Clock clock) {
        this.models = Objects.requireNonNull(models, "models");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.defaultLanguage = defaultLanguage;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether the model has contracts made from orders of quotes. */
    public boolean available() {
        MetadataModel model = models.get();
        return model.entity(CONTRACT).flatMap(e -> e.field("quote")).isPresent()
                && model.entity(CONTRACT).flatMap(e -> e.field("renewal_opportunity")).isPresent()
                && model.entity(Quotes.QUOTE).isPresent() && model.entity("opportunity").isPresent();
    }

    /** The renewal made: the opportunity and its draft quote. */
    public record Renewal(Record contract, Record opportunity, Record quote) {
    }

    public Renewal renew(SecuredRecordStore records, long contractId) {
        return transactions.inTransaction(() -> {
            Record contract = records.get(CONTRACT, contractId);
            String status = String.valueOf(contract.get("status"));
            if (!RENEWABLE.contains(status)) {
                throw new ValidationException(List.of(new FieldError("status", ErrorCodes.PHASE_MOVE, LocalizedText.format(
                        "Nur ein laufender Vertrag wird verlängert", "Only a running contract is renewed"))));
            }
            Record accepted = contract.get("quote") instanceof Number quote
                    ? records.find(Quotes.QUOTE, quote.longValue()).orElse(null) : null;
            Map<String, Object> opportunity = new LinkedHashMap<>();
            opportunity.put("name", LocalizedText.format("Verlängerung: {0}", "Renewal: {0}", contract.get("name"))
                    .in(defaultLanguage));
            opportunity.put("account", contract.get("account"));
            if (accepted != null) {
                opportunity.put("contact", accepted.get("contact"));
            }
            opportunity.put("amount", contract.get("value"));
            if (contract.get("end_date") instanceof LocalDate end && !end.isBefore(LocalDate.now(clock))) {
                opportunity.put("close_date", end);
            }
            Record renewalOpportunity = records.create("opportunity", opportunity);
            Map<String, Object> quote = new LinkedHashMap<>();
            quote.put("name", contract.get("name"));
            quote.put("opportunity", renewalOpportunity.id());
            if (accepted != null) {
                for (String field : List.of("contact", "currency", "language", "terms")) {
                    if (accepted.values().containsKey(field)) {
                        quote.put(field, accepted.get(field));
                    }
                }
            }
            Record renewalQuote = records.create(Quotes.QUOTE, quote);
            if (accepted != null) {
                Quotes.copyLines(records, accepted.id(), renewalQuote.id());
            }
            Record marked = records.updateOnBehalf(CONTRACT, contractId, contract.version(),
                    Map.of("renewal_opportunity", renewalOpportunity.id()), PLATFORM_FIELDS, null, null);
            marked = records.update(CONTRACT, contractId, marked.version(), Map.of("status", RENEWED));
            return new Renewal(marked, records.get("opportunity", renewalOpportunity.id()),
                    records.get(Quotes.QUOTE, renewalQuote.id()));
        });
    }
}
