package io.relata.runtime.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.record.ValidationException;
import io.relata.api.security.Actor;
import io.relata.plugins.ExtensionRegistry;
import io.relata.plugins.IntegrationCalls;
import io.relata.plugins.PlainJson;
import io.relata.process.MailSettings;
import io.relata.process.Outbox;
import io.relata.process.ProcessJson;
import io.relata.process.Timers;
import io.relata.runtime.PlatformClock;
import io.relata.runtime.TestPlatform;
import io.relata.store.RecordWriteHook;
import io.relata.store.SecuredRecordStore;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chain after the quote, on the shipped metadata, H2 and PostgreSQL: an accepted quote becomes an order; the
 * credit check (the platform's built-in rule) approves it or sends it to review by sales management; the hand-over
 * to the ERP (a local HTTP server) runs through the outbox and its order number confirms the order; without an ERP the
 * order waits as 'manual'. A contract from the order comes up for renewal 30 days before its notice deadline (to-do
 * and mail to its owner), renews automatically when nobody gives notice, and "Renew" makes the renewal opportunity
 * with a quote of the contract's current lines.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"h2", "postgresql"})
class OrderChainTest {

    /** Wednesday, 2 December 2026, 10:00 UTC. */
    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 2, 10, 0, 0, 0, ZoneOffset.UTC);

    @Parameter
    String databaseKind;

    private PlatformClock clock;
    private TestPlatform platform;
    private SalesTeam team;
    private Quotes quotes;
    private Contracts contracts;
    private HttpServer erp;
    private final List<String> erpRequests = new CopyOnWriteArrayList<>();
    private String erpUrl;
    private long opportunity;
    private long contact;
    private long fleet;

    @BeforeEach
    void start() throws Exception {
        clock = new PlatformClock(Clock.fixed(NOW.toInstant(), ZoneOffset.UTC), true);
        platform = new TestPlatform(databaseKind, List.of(), clock, p -> RecordWriteHook.NONE);
        team = new SalesTeam(platform.database);
        quotes = new Quotes(() -> platform.model, platform.transactions, platform.outbox,
                new io.relata.runtime.files.RecordFiles(platform.database.dataSource(), new io.relata.runtime.files.RecordFiles.Settings(
                        io.relata.runtime.files.RecordFiles.Storage.DATABASE, java.nio.file.Path.of("target"), 10_000_000,
                        java.util.Set.of("pdf")), () -> platform.model, clock),
                new Letterhead("Relata Test GmbH", List.of(), List.of(), List.of(), List.of()),
                id -> java.util.Optional.of(team.name(id)), "de");
        contracts = new Contracts(() -> platform.model, platform.transactions, "de", clock.withZone(ZoneId.systemDefault()));
        erp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        erp.createContext("/orders", exchange -> {
            erpRequests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = ("{\"order_number\": \"ERP-" + (4710 + erpRequests.size()) + "\", \"status\": \"created\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        erp.start();
        erpUrl = "http://127.0.0.1:" + erp.getAddress().getPort() + "/orders";

        var system = platform.system;
        long acme = system.create("account", Map.of("name", "ACME Versicherung AG"), team.anna.userId(), team.team).id();
        contact = system.create("contact", Map.of("first_name", "Jana", "last_name", "Berg", "email",
                "jana@acme.example", "account", acme), team.anna.userId(), team.team).id();
        opportunity = system.create("opportunity", Map.of("name", "Flotte 2027", "account", acme, "contact", contact,
                "phase", "proposal", "amount", 100000), team.anna.userId(), team.team).id();
        fleet = system.create("product", Map.of("name", "Flottenversicherung", "code", "FLEET", "unit", "year")).id();
        long list = system.create("price_list", Map.of("name", "Standard", "currency", "eur", "valid_from", "2026-01-01")).id();
        system.create("price_list_item", Map.of("price_list", list, "product", fleet, "min_quantity", 1, "unit_price",
                new BigDecimal("1000.00")));
    }

    @AfterEach
    void stop() throws Exception {
        erp.stop(0);
        platform.close();
    }

    private SecuredRecordStore as(Actor actor) {
        return platform.as(actor);
    }

    /** Delivers the outbox with the platform's own integrations; the ERP at {@code erpUrl} if given. */
    private int deliver(String erpUrlOrNull) {
        IntegrationCalls integrations = new IntegrationCalls(ExtensionRegistry.none(), platform.database.dataSource(),
                name -> name.equals(ErpOrders.NAME) && erpUrlOrNull != null ? Map.of("url", erpUrlOrNull) : Map.of(),
                new PlainJson() {
                    @Override
                    public String write(Object value) {
                        return ProcessJson.toJson(value).toString();
                    }

                    @Override
                    public Object read(String json) {
                        return ProcessJson.readValue(json);
                    }
                }, clock, List.of(new CreditCheck(), new ErpOrders(() -> platform.system)));
        Outbox outbox = new Outbox(platform.transactions, clock, MailSettings.NONE, Map::of, Outbox.Policy.DEFAULT, "test")
                .withIntegrations((integration, operation, payload, entity, recordId, actor) -> integrations.call(
                        integration, operation, payload, entity, recordId, actor).map(IntegrationCalls.Recorded::response),
                        () -> platform.system, "de");
        return outbox.deliver();
    }

    /** An accepted quote of {@code quantity} vehicles at 1,000.00: its order. */
    private Record acceptedQuote(int quantity) {
        Record quote = as(team.anna).create("quote", Map.of("name", "Flotte " + quantity, "opportunity", opportunity,
                "contact", contact));
        as(team.anna).create("quote_line", Map.of("quote", quote.id(), "product", fleet, "quantity", quantity));
        Record sent = quotes.send(as(team.anna), quote.id(), as(team.anna).get("quote", quote.id()).version(),
                quotes.draft(as(team.anna), quote.id(), "Anna Berger"));
        Record accepted = as(team.anna).update("quote", quote.id(), sent.version(), Map.of("status", "accepted"));
        assertThat(accepted.get("accepted_on")).isNotNull();
        List<Record> orders = platform.system.query("sales_order", new RecordQuery(List.of(new Filter("quote",
                FilterOperator.EQ, Long.toString(quote.id()))), List.of(), null, 10, null)).records();
        assertThat(orders).as("the accepted quote became an order").hasSize(1);
        return orders.get(0);
    }

    @Test
    void anAcceptedQuoteBecomesAnOrderThatTheCreditCheckApprovesAndTheErpConfirms() {
        Record order = acceptedQuote(100);
        assertThat(order.get("number")).isEqualTo("O-2026-00001");
        assertThat(order.get("name")).as("the quote's subject").isEqualTo("Flotte 100");
        assertThat(order.get("status")).isEqualTo("checking");
        assertThat(order.get("gross_total")).isEqualTo(new BigDecimal("119000.00"));
        assertThat(order.ownerUser()).as("owned like the quote").isEqualTo(team.anna.userId());
        assertThatThrownBy(() -> as(team.anna).update("sales_order", order.id(), order.version(),
                Map.of("credit_decision", "approved"))).as("the credit decision is the check's").isInstanceOf(ValidationException.class);

        deliver(erpUrl); // the credit check (built-in: 119,000 is within 250,000), which releases it to the ERP
        Record released = platform.system.get("sales_order", order.id());
        assertThat(released.get("credit_decision")).isEqualTo("approved");
        assertThat(released.get("credit_limit")).isEqualTo(new BigDecimal("250000.00"));
        assertThat(released.get("status")).isEqualTo("released");

        deliver(erpUrl); // the hand-over queued by the release
        assertThat(erpRequests).singleElement().satisfies(body -> assertThat(body)
                .contains("\"number\":\"O-2026-00001\"", "\"name\":\"ACME Versicherung AG\"", "\"product_code\":\"FLEET\"",
                        "\"quantity\":100", "\"net\":100000.00"));
        Record confirmed = platform.system.get("sales_order", order.id());
        assertThat(confirmed.get("erp_order_number")).isEqualTo("ERP-4711");
        assertThat(confirmed.get("erp_status")).isEqualTo("created");
        assertThat(confirmed.get("status")).as("the ERP's number confirms it").isEqualTo("confirmed");
        assertThat(deliver(erpUrl)).as("nothing sent twice").isZero();
        assertThat(erpRequests).hasSize(1);
    }

    @Test
    void aLargeOrderGoesToReviewAndWithoutAnErpWaitsForTheNumberByHand() {
        Record order = acceptedQuote(300); // 357,000 gross: above the built-in limit of 250,000
        deliver(null);
        Record review = platform.system.get("sales_order", order.id());
        assertThat(review.get("credit_decision")).isEqualTo("review");
        assertThat(review.get("status")).isEqualTo("credit_review");
        assertThat(String.valueOf(review.get("credit_message"))).startsWith("Zur Prüfung: 357000.00 liegt über dem Limit");
        Record todo = platform.system.query("activity", new RecordQuery(List.of(), List.of(Sort.desc("created_at")), null,
                1, null)).records().get(0);
        assertThat(todo.get("subject")).isEqualTo("Review the credit: O-2026-00001 Flotte 300");
        assertThat(todo.ownerUser()).isEqualTo(team.mara.userId());
        assertThatThrownBy(() -> as(team.anna).update("sales_order", order.id(), review.version(),
                Map.of("status", "released"))).as("the decision comes first").isInstanceOf(ValidationException.class)
                .hasMessageContaining("First the credit decision: approved");
        assertThatThrownBy(() -> as(team.anna).update("sales_order", order.id(), review.version(),
                Map.of("credit_decision", "approved"))).as("sales management decides").isInstanceOf(ValidationException.class);

        Record released = as(team.mara).update("sales_order", order.id(), review.version(), Map.of("credit_decision", "approved"));
        deliver(null); // no ERP configured: the built-in answer is "manual"
        Record manual = platform.system.get("sales_order", order.id());
        assertThat(manual.get("status")).isEqualTo("released");
        assertThat(manual.get("erp_status")).isEqualTo("manual");
        assertThat(String.valueOf(manual.get("erp_message"))).contains("CRM_INTEGRATION_ERP_ORDERS_URL");
        assertThatThrownBy(() -> as(team.mara).update("sales_order", order.id(), manual.version(),
                Map.of("status", "confirmed"))).as("the ERP's number is asked").isInstanceOf(ValidationException.class);
        Record confirmed = as(team.mara).update("sales_order", order.id(), manual.version(),
                Map.of("status", "confirmed", "erp_order_number", "SAP-1"));
        assertThat(confirmed.get("status")).isEqualTo("confirmed");
        assertThat(released.get("status")).isEqualTo("released");
    }

    @Test
    void aContractComesUpForRenewalRenewsItselfAndIsRenewedByHandWithItsLines() {
        Record order = acceptedQuote(12);
        Record contract = as(team.anna).create("contract", Map.of("name", "Flottenvertrag ACME", "order", order.id(),
                "start_date", "2026-01-15", "term_months", 12, "notice_period_days", 30));
        assertThat(contract.get("number")).isEqualTo("C-2026-00001");
        assertThat(contract.get("end_date")).isEqualTo(LocalDate.of(2027, 1, 14));
        assertThat(contract.get("notice_deadline")).isEqualTo(LocalDate.of(2026, 12, 15));
        assertThat(contract.get("value")).isEqualTo(new BigDecimal("12000.00"));

        Timers timers = new Timers(platform.processes);
        timers.fireDue(); // 30 days before the deadline lies in the past: up for renewal now
        Record due = platform.system.get("contract", contract.id());
        assertThat(due.get("status")).isEqualTo("renewal_due");
        assertThat(platform.system.query("activity", RecordQuery.all()).records())
                .extracting(r -> String.valueOf(r.get("subject")))
                .contains("Discuss the renewal: C-2026-00001 Flottenvertrag ACME (notice by 2026-12-15)");
        assertThat(platform.outbox.items("pending", 20)).extracting(Outbox.Item::description)
                .anyMatch(d -> d.contains("mail contract_renewal to anna@relata.example"));

        clock.advance(Duration.ofDays(14)); // 16 December: the deadline has passed without notice
        timers.fireDue();
        Record renewed = platform.system.get("contract", contract.id());
        assertThat(renewed.get("status")).as("renewed automatically").isEqualTo("active");
        assertThat(renewed.get("renewals")).isEqualTo(1L);
        assertThat(renewed.get("start_date")).isEqualTo(LocalDate.of(2027, 1, 15));
        assertThat(renewed.get("end_date")).isEqualTo(LocalDate.of(2028, 1, 14));
        assertThat(renewed.get("next_term_started")).isEqualTo(false);

        Contracts.Renewal renewal = contracts.renew(as(team.anna), contract.id());
        assertThat(renewal.contract().get("status")).isEqualTo("renewed");
        assertThat(renewal.contract().get("renewal_opportunity")).isEqualTo(renewal.opportunity().id());
        assertThat(renewal.opportunity().get("name")).isEqualTo("Verlängerung: Flottenvertrag ACME");
        assertThat(renewal.opportunity().get("amount")).isEqualTo(new BigDecimal("12000.00"));
        assertThat(renewal.quote().get("status")).isEqualTo("draft");
        assertThat(renewal.quote().get("opportunity")).isEqualTo(renewal.opportunity().id());
        assertThat(Quotes.lines(as(team.anna), renewal.quote().id())).singleElement()
                .satisfies(line -> assertThat(line.get("quantity")).isEqualTo(new BigDecimal("12.000")));
        assertThatThrownBy(() -> contracts.renew(as(team.anna), contract.id())).as("once")
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void aCustomerWhoLeavesChurnsTheContractWithTheReason() throws IOException {
        Record order = acceptedQuote(5);
        Record contract = as(team.anna).create("contract", Map.of("name", "Kleinflotte", "order", order.id(),
                "start_date", "2026-06-01", "auto_renewal", false));
        assertThatThrownBy(() -> as(team.anna).update("contract", contract.id(), contract.version(),
                Map.of("status", "churned"))).as("the reason is asked").isInstanceOf(ValidationException.class);
        Record churned = as(team.anna).update("contract", contract.id(), contract.version(),
                Map.of("status", "churned", "churn_reason", "Flotte verkauft."));
        assertThat(churned.get("status")).isEqualTo("churned");
        assertThatThrownBy(() -> as(team.anna).create("sales_order", Map.of("quote", order.get("quote"))))
                .as("one order per quote, and only the process makes it").isInstanceOf(RuntimeException.class);
    }
}
