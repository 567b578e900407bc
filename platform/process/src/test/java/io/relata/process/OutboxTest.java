package io.relata.process;

import static io.relata.process.Models.choice;
import static io.relata.process.Models.entity;
import static io.relata.process.Models.extension;
import static io.relata.process.Models.field;
import static io.relata.process.Models.phase;
import static io.relata.process.Models.process;
import static io.relata.process.Models.required;
import static io.relata.process.Models.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.plugin.ProcessExtension;
import io.relata.api.record.Record;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Mails, webhooks and extension calls: queued with the write, delivered after it, retried, never twice. */
class OutboxTest {

    private static final ServerSetup SMTP = Mails.smtpOnLoopback();

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(SMTP);

    private Kit kit;
    private HookServer hooks;

    @AfterEach
    void close() {
        if (kit != null) {
            kit.close();
        }
        if (hooks != null) {
            hooks.close();
        }
    }

    /** A deal calls a webhook and the ERP extension when it is opened. */
    private MetadataModel deals(String url) {
        return Models.model(
                List.of(entity("deal", "name", required("name", FieldType.TEXT), field("amount", FieldType.MONEY),
                        field("signed_on", FieldType.DATE), choice("stage", "open", "done"))),
                List.of(process("deals", "deal", "stage")
                        .phases(phase("open").onEnter(webhook(url), extension("erp_sync", erpParameters())),
                                phase("done").success())
                        .moves("open", "done").build()),
                List.of());
    }

    private static Map<String, Object> erpParameters() {
        Map<String, Object> parameters = new java.util.LinkedHashMap<>();
        parameters.put("mode", "full");
        parameters.put("retries", 3);
        return parameters;
    }

    private Outbox.Item only(Outbox.Kind kind) {
        List<Outbox.Item> items = kit.node.outbox.all().stream().filter(i -> i.kind() == kind).toList();
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private Record request(Map<String, Object> values) {
        return kit.node.as(Kit.ANNA).create("meeting_request", values);
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aMailIsSentAfterTheWriteInTheRecipientsLanguageWithItsPlaceholdersFilled(TestDb.Kind kind) throws Exception {
        kit = Kit.open(kind, BookingModel.model(), Mails.settings(SMTP), Outbox.Policy.DEFAULT);
        Record english = request(Map.of("name", "Eva Müller & Co", "email", "eva@example.com", "language", "en"));
        Record german = request(Map.of("name", "Frank <Fröhlich>", "email", "frank@example.com", "language", "de"));
        Record unknown = request(Map.of("name", "Gina", "email", "gina@example.com"));
        assertThat(GREEN_MAIL.getReceivedMessages()).as("nothing leaves before delivery").isEmpty();

        assertThat(kit.node.outbox.deliver()).isEqualTo(3);

        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        assertThat(received).extracting(Mails::describe).containsExactlyInAnyOrder(
                "eva@example.com | Your appointment with us | Hello Eva Müller & Co,\nplease book your appointment: "
                        + "https://crm.example.com/book/" + english.id(),
                "frank@example.com | Ihr Termin mit uns | Guten Tag Frank <Fröhlich>,\nbitte buchen Sie Ihren Termin: "
                        + "https://crm.example.com/book/" + german.id(),
                "gina@example.com | Ihr Termin mit uns | Guten Tag Gina,\nbitte buchen Sie Ihren Termin: "
                        + "https://crm.example.com/book/" + unknown.id());
        assertThat(received[0].getFrom()[0].toString()).isEqualTo("crm@example.com");
        assertThat(kit.node.outbox.all()).extracting(Outbox.Item::state, Outbox.Item::attempts, Outbox.Item::sentAt)
                .containsOnly(org.assertj.core.api.Assertions.tuple(Outbox.SENT, 1, kit.now()));
        assertThat(kit.node.outbox.deliver()).isZero();
        assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aMailToNobodyIsRecordedAsFailedAndTheWriteStands(TestDb.Kind kind) {
        kit = Kit.open(kind, BookingModel.model(), Mails.settings(SMTP), Outbox.Policy.DEFAULT);
        Record request = request(Map.of("name", "Eva"));

        Outbox.Item mail = only(Outbox.Kind.MAIL);
        assertThat(mail.state()).isEqualTo(Outbox.FAILED);
        assertThat(mail.error()).isEqualTo("Not sent: the field 'email' is empty (mail.yaml:5:5)");
        assertThat(mail.description()).isEqualTo("mail booking_link to (nobody) (meeting_request " + request.id()
                + ", booking/requested enter)");
        assertThat(kit.node.outbox.deliver()).isZero();
        assertThat(kit.find("meeting_request", request.id()).get("phase")).isEqualTo("requested");
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void withoutAMailServerMailsWaitInTheOutbox(TestDb.Kind kind) {
        kit = Kit.open(kind, BookingModel.model());
        request(Map.of("name", "Eva", "email", "eva@example.com"));

        assertThat(kit.node.outbox.deliver()).isZero();

        assertThat(only(Outbox.Kind.MAIL).state()).isEqualTo(Outbox.PENDING);
        assertThat(only(Outbox.Kind.MAIL).attempts()).isZero();
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aWebhookReceivesTheEventAsJsonAndTheExtensionIsCalledWithItsParameters(TestDb.Kind kind) throws Exception {
        hooks = new HookServer();
        kit = Kit.open(kind, deals(hooks.url()));
        List<String> calls = new CopyOnWriteArrayList<>();
        kit.extensions.put("erp_sync", new ProcessExtension() {
            @Override
            public String name() {
                return "erp_sync";
            }

            @Override
            public void run(String entity, Map<String, Object> record, Map<String, Object> parameters) {
                calls.add(entity + " " + record + " " + parameters);
            }
        });
        Record deal = kit.node.as(Kit.ANNA).create("deal", Map.of("name", "Big \"one\"", "amount", "1234.50",
                "signed_on", "2026-03-01"));
        assertThat(hooks.calls()).isZero();

        assertThat(kit.node.outbox.deliver()).isEqualTo(2);

        assertThat(hooks.bodies()).containsExactly("{\"event\":\"enter\",\"process\":\"deals\",\"phase\":\"open\","
                + "\"entity\":\"deal\",\"record\":{\"id\":" + deal.id() + ",\"name\":\"Big \\\"one\\\"\",\"amount\":1234.50,"
                + "\"signed_on\":\"2026-03-01\",\"stage\":\"open\"}}");
        assertThat(calls).containsExactly("deal {id=" + deal.id() + ", name=Big \"one\", amount=1234.50, "
                + "signed_on=2026-03-01, stage=open} {mode=full, retries=3}");
        assertThat(kit.node.outbox.all()).extracting(Outbox.Item::state).containsOnly(Outbox.SENT);
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void anUnknownExtensionFailsAtOnceWithAClearError(TestDb.Kind kind) throws Exception {
        hooks = new HookServer();
        kit = Kit.open(kind, deals(hooks.url()));
        kit.node.as(Kit.ANNA).create("deal", Map.of("name", "Big one"));

        kit.node.outbox.deliver();

        Outbox.Item call = only(Outbox.Kind.EXTENSION);
        assertThat(call.state()).isEqualTo(Outbox.FAILED);
        assertThat(call.attempts()).isEqualTo(1);
        assertThat(call.error()).isEqualTo("No process extension named 'erp_sync' is installed (installed: none). "
                + "Install and enable the plugin that provides it, or remove the action at extension.yaml:7:5; then "
                + "requeue this item.");
        assertThat(only(Outbox.Kind.WEBHOOK).state()).isEqualTo(Outbox.SENT);
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void failedSendsAreRetriedWithGrowingDelaysAndGivenUpAfterTheLastAttempt(TestDb.Kind kind) throws Exception {
        hooks = new HookServer();
        hooks.answer(call -> call < 3 ? 503 : 204);
        kit = Kit.open(kind, deals(hooks.url()), MailSettings.NONE, new Outbox.Policy(3, Duration.ofMinutes(1),
                Duration.ofMinutes(90), Duration.ofSeconds(5)));
        kit.extensions.put("erp_sync", new ProcessExtension() {
            @Override
            public String name() {
                return "erp_sync";
            }

            @Override
            public void run(String entity, Map<String, Object> record, Map<String, Object> parameters) throws Exception {
                throw new java.io.IOException("ERP is down");
            }
        });
        kit.node.as(Kit.ANNA).create("deal", Map.of("name", "Big one"));

        assertThat(kit.node.outbox.deliver()).isZero();
        Outbox.Item hook = only(Outbox.Kind.WEBHOOK);
        assertThat(hook.state()).isEqualTo(Outbox.PENDING);
        assertThat(hook.attempts()).isEqualTo(1);
        assertThat(hook.nextAttemptAt()).isEqualTo(kit.now().plusMinutes(1));
        assertThat(hook.error()).isEqualTo("POST " + hooks.url() + " answered HTTP 503: broken");
        assertThat(only(Outbox.Kind.EXTENSION).error()).contains("The extension 'erp_sync' failed", "ERP is down");

        assertThat(kit.node.outbox.deliver()).as("not due yet").isZero();
        assertThat(hooks.calls()).isEqualTo(1);

        kit.advance(Duration.ofMinutes(1));
        assertThat(kit.node.outbox.deliver()).isZero();
        assertThat(only(Outbox.Kind.WEBHOOK).nextAttemptAt()).isEqualTo(kit.now().plusMinutes(2));

        kit.advance(Duration.ofMinutes(2));
        assertThat(kit.node.outbox.deliver()).isEqualTo(1);
        assertThat(only(Outbox.Kind.WEBHOOK).state()).isEqualTo(Outbox.SENT);
        assertThat(only(Outbox.Kind.WEBHOOK).attempts()).isEqualTo(3);
        Outbox.Item extension = only(Outbox.Kind.EXTENSION);
        assertThat(extension.state()).isEqualTo(Outbox.FAILED);
        assertThat(extension.error()).startsWith("Gave up after 3 attempts: The extension 'erp_sync' failed");
        assertThat(kit.node.outbox.items(Outbox.FAILED, 10)).extracting(Outbox.Item::id).containsExactly(extension.id());
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void anItemLeftSendingByACrashIsNotSentAgainButReportedAsStuck(TestDb.Kind kind) throws Exception {
        hooks = new HookServer();
        kit = Kit.open(kind, deals(hooks.url()));
        kit.node.as(Kit.ANNA).create("deal", Map.of("name", "Big one"));
        long id = only(Outbox.Kind.WEBHOOK).id();
        kit.db.execute("UPDATE crm_outbox SET state = 'sending', attempts = 1, claimed_by = 'node-0', claimed_at = "
                + "TIMESTAMP WITH TIME ZONE '2026-03-02 08:00:00+00' WHERE id = " + id);

        kit.node.outbox.deliver();

        assertThat(hooks.calls()).isZero();
        assertThat(kit.node.outbox.stuck(Duration.ofMinutes(30))).extracting(Outbox.Item::id, Outbox.Item::claimedBy)
                .containsExactly(org.assertj.core.api.Assertions.tuple(id, "node-0"));
        assertThat(kit.node.outbox.stuck(Duration.ofHours(2))).isEmpty();

        assertThat(kit.node.outbox.requeue(id)).isTrue();
        assertThat(kit.node.outbox.deliver()).isEqualTo(1);
        assertThat(hooks.calls()).isEqualTo(1);
        assertThat(kit.node.outbox.requeue(id)).as("sent items stay sent").isFalse();
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void twoNodesDeliverEveryItemOnce(TestDb.Kind kind) throws Exception {
        hooks = new HookServer();
        kit = Kit.open(kind, deals(hooks.url()));
        kit.extensions.put("erp_sync", new ProcessExtension() {
            @Override
            public String name() {
                return "erp_sync";
            }

            @Override
            public void run(String entity, Map<String, Object> record, Map<String, Object> parameters) {
            }
        });
        int deals = 15;
        for (int i = 0; i < deals; i++) {
            kit.node.as(Kit.ANNA).create("deal", Map.of("name", "Deal " + i));
        }
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (Kit.Node node : List.of(kit.node("node-a"), kit.node("node-b"))) {
                Callable<Integer> race = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return node.outbox.deliver();
                };
                results.add(pool.submit(race));
            }
            assertThat(results.get(0).get(60, TimeUnit.SECONDS) + results.get(1).get(60, TimeUnit.SECONDS))
                    .isEqualTo(2 * deals);
        } finally {
            pool.shutdownNow();
        }
        assertThat(hooks.calls()).isEqualTo(deals);
        assertThat(hooks.bodies()).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void deliveringInsideATransactionIsRefused(TestDb.Kind kind) {
        kit = Kit.open(kind, BookingModel.model());
        assertThatThrownBy(() -> kit.node.store.transactions().runInTransaction(kit.node.outbox::deliver))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("outside a transaction");
    }

    /** A subscription asks the credit check on entering 'checking'; an approval moves it on by itself. */
    private static MetadataModel subscriptions() {
        return Models.model(
                List.of(entity("subscription", "msisdn", required("msisdn", FieldType.TEXT),
                        field("credit_decision", FieldType.TEXT), field("credit_limit", FieldType.MONEY),
                        field("credit_ok", FieldType.BOOLEAN), field("credit_note", FieldType.TEXT),
                        choice("status", "checking", "porting"))),
                List.of(process("orders", "subscription", "status")
                        .phases(phase("checking").onEnter(Models.integration("credit_check", "check",
                                        Map.of("credit_decision", "decision", "credit_limit", "limit", "credit_ok", "ok",
                                                "credit_note", "message"))),
                                phase("porting"))
                        .automatic("checking", "porting", "record.credit_decision == 'approved'")
                        .build()),
                List.of());
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void anIntegrationIsAskedAfterTheWriteAndItsAnswerIsWrittenIntoTheRecordWhichMovesOn(TestDb.Kind kind) {
        kit = Kit.open(kind, subscriptions());
        List<String> asked = new CopyOnWriteArrayList<>();
        kit.integrations = (integration, operation, payload, entity, recordId, actor) -> {
            asked.add(integration + "/" + operation + " " + entity + " " + recordId + " " + payload.get("msisdn") + " "
                    + payload.get("product") + " by " + actor);
            boolean approved = String.valueOf(payload.get("msisdn")).endsWith("1");
            return Optional.of(new io.relata.api.plugin.Integration.Response(approved,
                    Map.of("decision", approved ? "approved" : "declined", "limit", new java.math.BigDecimal("500")),
                    io.relata.api.model.LocalizedText.of("Bonität geprüft", "Credit checked")));
        };
        Record approved = kit.node.as(Kit.ANNA).create("subscription", Map.of("msisdn", "+491701"));
        Record declined = kit.node.as(Kit.ANNA).create("subscription", Map.of("msisdn", "+491702"));
        assertThat(asked).as("asked after the write, not inside it").isEmpty();

        assertThat(kit.node.outbox.deliver()).isEqualTo(2);

        assertThat(asked).containsExactly(
                "credit_check/check subscription " + approved.id() + " +491701 mobile by process:orders",
                "credit_check/check subscription " + declined.id() + " +491702 mobile by process:orders");
        Record movedOn = kit.find("subscription", approved.id());
        assertThat(movedOn.get("credit_decision")).isEqualTo("approved");
        assertThat(movedOn.get("credit_ok")).isEqualTo(true);
        assertThat(movedOn.get("credit_limit")).isEqualTo(new java.math.BigDecimal("500.00"));
        assertThat(movedOn.get("credit_note")).as("the platform's default language").isEqualTo("Bonität geprüft");
        assertThat(movedOn.get("status")).as("the automatic move follows the answer").isEqualTo("porting");
        Record waiting = kit.find("subscription", declined.id());
        assertThat(waiting.get("credit_decision")).isEqualTo("declined");
        assertThat(waiting.get("status")).isEqualTo("checking");
        assertThat(kit.node.outbox.all()).extracting(Outbox.Item::state).containsOnly(Outbox.SENT);
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void anIntegrationThatFailsIsRetriedOneNobodyOffersFailsAtOnceAndAnAnswerThatDoesNotFitFailsClearly(
            TestDb.Kind kind) {
        kit = Kit.open(kind, subscriptions());
        kit.integrations = (integration, operation, payload, entity, recordId, actor) -> {
            throw new IllegalStateException("credit bureau unreachable");
        };
        Record first = kit.node.as(Kit.ANNA).create("subscription", Map.of("msisdn", "+491701"));
        kit.node.outbox.deliver();
        Outbox.Item retried = only(Outbox.Kind.INTEGRATION);
        assertThat(retried.state()).isEqualTo(Outbox.PENDING);
        assertThat(retried.error()).isEqualTo("The integration 'credit_check' failed: credit bureau unreachable");
        assertThat(kit.find("subscription", first.id()).get("credit_decision")).isNull();

        kit.integrations = IntegrationGateway.NONE;
        kit.advance(Duration.ofHours(2));
        kit.node.outbox.deliver();
        Outbox.Item unknown = only(Outbox.Kind.INTEGRATION);
        assertThat(unknown.state()).isEqualTo(Outbox.FAILED);
        assertThat(unknown.error()).isEqualTo("No enabled plugin offers the integration 'credit_check'. Install and "
                + "enable the plugin that provides it, or remove the action at integration.yaml:8:5; then requeue this item.");

        kit.integrations = (integration, operation, payload, entity, recordId, actor) -> Optional.of(
                new io.relata.api.plugin.Integration.Response(true, Map.of("decision", "approved", "limit", "lots"), null));
        Record second = kit.node.as(Kit.ANNA).create("subscription", Map.of("msisdn", "+491703"));
        kit.node.outbox.deliver();
        Outbox.Item misfit = kit.node.outbox.all().get(1);
        assertThat(misfit.state()).isEqualTo(Outbox.FAILED);
        assertThat(misfit.error()).startsWith("The answer of the integration 'credit_check' does not fit subscription "
                + second.id() + " (credit_limit: ").endsWith("fix the 'answer' of the action at integration.yaml:8:5 or "
                + "the rules of the entity");
        assertThat(kit.find("subscription", second.id()).get("credit_decision")).as("nothing half-written").isNull();
    }
}
