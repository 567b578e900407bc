package io.relata.runtime.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.record.ValidationException;
import io.relata.api.security.Actor;
import io.relata.process.MailSettings;
import io.relata.process.Outbox;
import io.relata.runtime.TestPlatform;
import io.relata.runtime.files.RecordFiles;
import io.relata.store.RecordWriteHook;
import io.relata.store.SecuredRecordStore;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Quotes on the shipped metadata, on H2 and PostgreSQL, through the users' own stores with the quote process:
 * list prices from the customer's own price list before the standard one, in the tier of the quantity; exact lines
 * and totals; a discount above the limit is refused for sending until sales management approved it (a to-do for
 * the manager, a rep cannot approve); the PDF in German and English (its text read back with PDFBox); sending moves
 * the quote, queues the mail with the PDF attached and keeps the PDF among the quote's files; a sent quote is frozen;
 * a new version supersedes it with the same lines and the next gapless number.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"h2", "postgresql"})
class QuotesTest {

    /** Wednesday, 2 December 2026, 10:00 UTC: the store's clock (quote numbers of 2026). */
    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 2, 10, 0, 0, 0, ZoneOffset.UTC);

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(true);

    @Parameter
    String databaseKind;

    @TempDir
    Path files;

    private Actor anna;
    private Actor mara;

    private TestPlatform platform;
    private Quotes quotes;
    private RecordFiles recordFiles;
    private final Map<String, Long> ids = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        Clock clock = Clock.fixed(NOW.toInstant(), ZoneOffset.UTC);
        platform = new TestPlatform(databaseKind, List.of(), clock, p -> RecordWriteHook.NONE);
        // real users: the approval to-do goes to the user holding sales_manager in the quote's team
        SalesTeam team = new SalesTeam(platform.database);
        anna = team.anna;
        mara = team.mara;
        long teamId = team.team;
        recordFiles = new RecordFiles(platform.database.dataSource(), new RecordFiles.Settings(
                RecordFiles.Storage.DATABASE, files, 10_000_000, Set.of("pdf")), () -> platform.model, clock);
        Letterhead letterhead = new Letterhead("Relata Test GmbH", List.of("Teststraße 1", "10115 Berlin"),
                List.of("Tel. 030 123"), List.of("HRB 1"), List.of("IBAN DE00"));
        quotes = new Quotes(() -> platform.model, platform.transactions, platform.outbox, recordFiles, letterhead,
                id -> java.util.Optional.of(team.name(id)), "de");

        var system = platform.system;
        long acme = system.create("account", Map.of("name", "ACME Versicherung AG", "street", "Hafenstraße 5",
                "postal_code", "20457", "city", "Hamburg", "country", "DE"), anna.userId(), teamId).id();
        ids.put("acme", acme);
        ids.put("contact", system.create("contact", Map.of("first_name", "Jana", "last_name", "Yılmaz",
                "email", "jana@acme.example", "account", acme), anna.userId(), teamId).id());
        ids.put("opportunity", system.create("opportunity", Map.of("name", "Flotte 2027", "account", acme,
                "phase", "proposal", "amount", 100000), anna.userId(), teamId).id());
        ids.put("fleet", system.create("product", Map.of("name", "Flottenversicherung je Fahrzeug", "code", "FLEET",
                "unit", "year")).id());
        ids.put("day", system.create("product", Map.of("name", "Beratungstag", "code", "DAY", "unit", "day",
                "tax_rate", 7)).id());
        long standard = system.create("price_list", Map.of("name", "Standard", "currency", "eur",
                "valid_from", "2026-01-01")).id();
        long customer = system.create("price_list", Map.of("name", "Rahmenvertrag ACME", "currency", "eur",
                "valid_from", "2026-01-01", "account", acme)).id();
        price(standard, "fleet", "1", "1150.00");
        price(standard, "fleet", "100", "1050.00");
        price(standard, "day", "1", "1250.00");
        price(customer, "fleet", "1", "990.00");
        price(customer, "fleet", "250", "940.00");
    }

    @AfterEach
    void stop() throws Exception {
        platform.close();
    }

    private void price(long list, String product, String from, String price) {
        platform.system.create("price_list_item", Map.of("price_list", list, "product", ids.get(product),
                "min_quantity", new BigDecimal(from), "unit_price", new BigDecimal(price)));
    }

    private SecuredRecordStore as(Actor actor) {
        return platform.as(actor);
    }

    private Record quote(Actor actor, Map<String, Object> values) {
        Map<String, Object> all = new LinkedHashMap<>(Map.of("name", "Kfz-Flotte 2027", "opportunity",
                ids.get("opportunity"), "contact", ids.get("contact")));
        all.putAll(values);
        return as(actor).create("quote", all);
    }

    private Record line(Actor actor, long quote, String product, String quantity, String discount) {
        return as(actor).create("quote_line", Map.of("quote", quote, "product", ids.get(product),
                "quantity", new BigDecimal(quantity), "discount_percent", new BigDecimal(discount)));
    }

    @Test
    void linesArePricedFromTheCustomersListInTheirTierAndTheTotalsAreTheExactSums() {
        Record quote = quote(anna, Map.of());
        assertThat(quote.get("number")).isEqualTo("Q-2026-00001");
        assertThat(quote.get("account")).as("the opportunity's account").isEqualTo(ids.get("acme"));

        Record fleet = line(anna, quote.id(), "fleet", "260", "3.5");
        Record day = line(anna, quote.id(), "day", "1.5", "0");
        Record few = line(anna, quote.id(), "fleet", "3", "0");

        assertThat(fleet.get("list_price")).as("the customer's tier from 250").isEqualTo(new BigDecimal("940.00"));
        assertThat(fleet.get("net")).as("260 × 940 less 3.5 %").isEqualTo(new BigDecimal("235846.00"));
        assertThat(fleet.get("tax")).isEqualTo(new BigDecimal("44810.74"));
        assertThat(day.get("list_price")).as("not in the customer's list: the standard one").isEqualTo(new BigDecimal("1250.00"));
        assertThat(day.get("tax")).as("7 % of 1,875.00").isEqualTo(new BigDecimal("131.25"));
        assertThat(few.get("list_price")).isEqualTo(new BigDecimal("990.00"));
        assertThat(few.get("position")).isEqualTo(3L);
        assertThat(few.get("unit")).isEqualTo("year");

        Record totals = as(anna).get("quote", quote.id());
        BigDecimal net = new BigDecimal("235846.00").add(new BigDecimal("1875.00")).add(new BigDecimal("2970.00"));
        BigDecimal tax = new BigDecimal("44810.74").add(new BigDecimal("131.25")).add(new BigDecimal("564.30"));
        assertThat(totals.get("net_total")).isEqualTo(net);
        assertThat(totals.get("tax_total")).isEqualTo(tax);
        assertThat(totals.get("gross_total")).isEqualTo(net.add(tax));
        assertThat(totals.get("max_discount")).isEqualTo(new BigDecimal("3.50"));
        assertThat(totals.get("needs_approval")).isEqualTo(false);

        as(anna).delete("quote_line", few.id(), null);
        assertThat(as(anna).get("quote", quote.id()).get("net_total")).as("kept current when a line goes")
                .isEqualTo(net.subtract(new BigDecimal("2970.00")));
    }

    /**
     * Random lines (seeded: a failure names the seed and the lines) through the store: each line's net and tax equal
     * BigDecimal's (half-up to cents per line), the quote's totals equal the sums of its lines, approval is needed
     * exactly when a discount exceeds 10 %, and the currency cannot change once lines exist.
     */
    @Test
    void randomLinesAddUpExactlyAndTheDiscountLimitAndCurrencyHold() {
        long seed = 16_2026L;
        java.util.Random random = new java.util.Random(seed);
        Record quote = quote(anna, Map.of());
        BigDecimal net = BigDecimal.ZERO;
        BigDecimal tax = BigDecimal.ZERO;
        BigDecimal highest = BigDecimal.ZERO;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            boolean fleet = random.nextBoolean();
            BigDecimal quantity = BigDecimal.valueOf(1 + random.nextInt(400_000), 3);
            BigDecimal discount = BigDecimal.valueOf(random.nextInt(1201), 2); // 0.00 to 12.00 %
            Record line = line(anna, quote.id(), fleet ? "fleet" : "day", quantity.toPlainString(), discount.toPlainString());
            BigDecimal price = fleet ? (quantity.compareTo(BigDecimal.valueOf(250)) >= 0 ? new BigDecimal("940.00")
                    : new BigDecimal("990.00")) : new BigDecimal("1250.00");
            BigDecimal rate = fleet ? new BigDecimal("19") : new BigDecimal("7");
            BigDecimal lineNet = quantity.multiply(price).multiply(BigDecimal.valueOf(100).subtract(discount))
                    .divide(BigDecimal.valueOf(100)).setScale(2, java.math.RoundingMode.HALF_UP);
            BigDecimal lineTax = lineNet.multiply(rate).divide(BigDecimal.valueOf(100)).setScale(2, java.math.RoundingMode.HALF_UP);
            lines.append(quantity).append(fleet ? " fleet" : " day").append(" -").append(discount).append("% ");
            assertThat(line.get("net")).as("seed %d, line %d: %s", seed, i, lines).isEqualTo(lineNet);
            assertThat(line.get("tax")).as("seed %d, line %d", seed, i).isEqualTo(lineTax);
            net = net.add(lineNet);
            tax = tax.add(lineTax);
            highest = highest.max(discount);
        }
        Record totals = as(anna).get("quote", quote.id());
        assertThat(totals.get("net_total")).as("seed %d: %s", seed, lines).isEqualTo(net);
        assertThat(totals.get("tax_total")).isEqualTo(tax);
        assertThat(totals.get("gross_total")).isEqualTo(net.add(tax));
        assertThat(totals.get("needs_approval")).isEqualTo(highest.compareTo(BigDecimal.TEN) > 0);
        assertThatThrownBy(() -> as(anna).update("quote", quote.id(), totals.version(), Map.of("currency", "chf")))
                .as("never two currencies in one quote").isInstanceOf(ValidationException.class)
                .hasMessageContaining("remove them before changing the currency");
    }

    @Test
    void aDiscountAboveTheLimitIsSentOnlyAfterSalesManagementApprovedIt() {
        Record quote = quote(anna, Map.of());
        line(anna, quote.id(), "fleet", "10", "15");
        Record draft = as(anna).get("quote", quote.id());
        assertThat(draft.get("needs_approval")).isEqualTo(true);

        assertThatThrownBy(() -> quotes.send(as(anna), quote.id(), draft.version(),
                new Quotes.Mail("jana@acme.example", "Angebot", "Hallo")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.getMessage())
                        .contains("A discount above 10 % needs the approval of sales management"));
        assertThat(platform.outbox.items("pending", 10)).as("nothing queued for a refused send").isEmpty();

        Record inApproval = as(anna).update("quote", quote.id(), draft.version(), Map.of("status", "in_approval"));
        assertThat(platform.system.count("activity", io.relata.api.record.RecordQuery.all())).as("the manager's to-do")
                .isEqualTo(1);
        Record todo = platform.system.query("activity", io.relata.api.record.RecordQuery.all()).records().get(0);
        assertThat(todo.ownerUser()).isEqualTo(mara.userId());
        assertThat(String.valueOf(todo.get("subject"))).isEqualTo("Approve the discount: Q-2026-00001 Kfz-Flotte 2027");
        assertThatThrownBy(() -> as(anna).update("quote", quote.id(), inApproval.version(), Map.of("status", "approved",
                "approval_note", "ok"))).as("only sales management writes the approval note")
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(f -> f.field() + ":" + f.code()).contains("approval_note:read_only_field"));
        assertThatThrownBy(() -> as(mara).update("quote", quote.id(), inApproval.version(), Map.of("status", "approved")))
                .as("approving asks for the note").isInstanceOf(ValidationException.class).hasMessageContaining("Approval note");

        Record approved = as(mara).update("quote", quote.id(), inApproval.version(), Map.of("status", "approved",
                "approval_note", "Strategischer Kunde"));
        assertThat(approved.get("approved_on")).isNotNull();
        Record sent = quotes.send(as(anna), quote.id(), approved.version(),
                quotes.draft(as(anna), quote.id(), "Anna Berger"));
        assertThat(sent.get("status")).isEqualTo("sent");
    }

    @Test
    void sendingMovesTheQuoteQueuesTheMailWithThePdfAndKeepsThePdf() throws Exception {
        Record quote = quote(anna, Map.of("terms", "Zahlbar innerhalb von 14 Tagen."));
        line(anna, quote.id(), "fleet", "260", "3.5");
        line(anna, quote.id(), "day", "2", "0");
        Record draft = as(anna).get("quote", quote.id());

        Quotes.Mail mail = quotes.draft(as(anna), quote.id(), "Anna Berger");
        assertThat(mail.to()).isEqualTo("jana@acme.example");
        assertThat(mail.subject()).isEqualTo("Angebot Q-2026-00001: Kfz-Flotte 2027");
        assertThat(mail.body()).contains("Angebot Q-2026-00001 „Kfz-Flotte 2027“")
                .containsPattern("gilt bis zum \\d{2}\\.\\d{2}\\.\\d{4}\\.").endsWith("Anna Berger\nRelata Test GmbH\n");

        assertThatThrownBy(() -> quotes.send(as(anna), quote.id(), draft.version(), new Quotes.Mail("not an address", "s", "b")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(f -> f.field()).containsExactly("to"));
        Record sent = quotes.send(as(anna), quote.id(), draft.version(), mail);
        assertThat(sent.get("status")).isEqualTo("sent");
        assertThat(sent.get("sent_on")).isNotNull();

        List<Outbox.Item> queued = platform.outbox.items("pending", 10);
        assertThat(queued).singleElement().satisfies(item -> assertThat(item.description())
                .contains("mail quote_sent to jana@acme.example", "Q-2026-00001.pdf"));
        JsonObject payload = Json.createReader(new StringReader(payloadOf(queued.get(0).id()))).readObject();
        assertThat(payload.getString("subject")).isEqualTo(mail.subject());
        byte[] pdf = Base64.getDecoder().decode(payload.getJsonArray("attachments").getJsonObject(0).getString("base64"));
        java.nio.file.Files.write(Path.of("target", "quote-sample-" + databaseKind + ".pdf"), pdf); // to look at
        String text = text(pdf);
        assertThat(text).contains("Relata Test GmbH", "Angebot Q-2026-00001", "Kfz-Flotte 2027", "ACME Versicherung AG",
                "Jana Yılmaz", "Hafenstraße 5", "20457 Hamburg", "Flottenversicherung je Fahrzeug", "260",
                "940,00", "3,5", "235.846,00", "Beratungstag", "2.500,00",
                "zzgl. Umsatzsteuer 19 %", "44.810,74 EUR", "zzgl. Umsatzsteuer 7 %", "175,00 EUR", "Bruttosumme",
                "283.331,74 EUR", "Zahlbar innerhalb von 14 Tagen.", "Ihr Ansprechpartner", "Anna Berger",
                "IBAN DE00", "Seite 1 von 1");

        assertThat(recordFiles.of(as(anna), "quote", quote.id())).as("the PDF as sent, among the quote's files")
                .singleElement().satisfies(file -> assertThat(file.name()).isEqualTo("Q-2026-00001.pdf"));

        // the outbox sends it with the PDF attached
        Outbox smtp = new Outbox(platform.transactions, Clock.systemUTC(), new MailSettings("127.0.0.1",
                SMTP.getSmtp().getPort(), "crm@relata.example", null, null, false, Duration.ofSeconds(10)),
                Map::of, Outbox.Policy.DEFAULT, "test");
        assertThat(smtp.deliver()).isEqualTo(1);
        MimeMessage received = SMTP.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("Angebot Q-2026-00001: Kfz-Flotte 2027");
        Multipart parts = (Multipart) received.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(String.valueOf(parts.getBodyPart(0).getContent())).contains("Mit freundlichen Grüßen");
        Part attachment = parts.getBodyPart(1);
        assertThat(attachment.getFileName()).isEqualTo("Q-2026-00001.pdf");
        assertThat(attachment.getContentType()).startsWith("application/pdf");
        ByteArrayOutputStream attached = new ByteArrayOutputStream();
        attachment.getInputStream().transferTo(attached);
        assertThat(attached.toByteArray()).isEqualTo(pdf);
    }

    @Test
    void aSentQuoteIsFrozenAndANewVersionSupersedesIt() throws Exception {
        Record quote = quote(anna, Map.of());
        Record fleet = line(anna, quote.id(), "fleet", "260", "3.5");
        line(anna, quote.id(), "day", "2", "5");
        Record sent = quotes.send(as(anna), quote.id(), as(anna).get("quote", quote.id()).version(),
                quotes.draft(as(anna), quote.id(), "Anna Berger"));

        assertThatThrownBy(() -> as(anna).update("quote_line", fleet.id(), fleet.version(), Map.of("quantity", 300)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("Lines change only while the quote is a draft");
        assertThatThrownBy(() -> line(anna, quote.id(), "day", "1", "0")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> as(anna).update("quote", quote.id(), sent.version(), Map.of("name", "Anders")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("create a new version to change it");

        Record second = quotes.newVersion(as(anna), quote.id());
        assertThat(second.get("number")).isEqualTo("Q-2026-00002");
        assertThat(second.get("version_no")).isEqualTo(2L);
        assertThat(second.get("previous_version")).isEqualTo(quote.id());
        assertThat(second.get("status")).isEqualTo("draft");
        assertThat(second.get("net_total")).as("the same lines").isEqualTo(sent.get("net_total"));
        assertThat(Quotes.lines(as(anna), second.id())).extracting(l -> l.get("position") + " " + l.get("quantity"))
                .containsExactly("1 260.000", "2 2.000");
        assertThat(as(anna).get("quote", quote.id()).get("status")).isEqualTo("superseded");
        assertThatThrownBy(() -> quotes.newVersion(as(anna), second.id())).as("a draft is changed directly")
                .isInstanceOf(ValidationException.class).hasMessageContaining("a draft is changed directly");
        assertThatThrownBy(() -> quotes.newVersion(platform.as(Actor.user(99, "other", Set.of("sales"), List.of(7L))),
                second.id())).as("a rep of another team does not see it").isInstanceOf(RecordException.class);
    }

    @Test
    void anEnglishQuoteReadsEnglishAndLongQuotesContinueOnFurtherPages() throws Exception {
        Record quote = quote(anna, Map.of("language", "en", "name", "Fleet 2027"));
        for (int i = 0; i < 45; i++) {
            line(anna, quote.id(), i % 2 == 0 ? "fleet" : "day", Integer.toString(i + 1), "0");
        }
        Quotes.Pdf pdf = quotes.pdf(as(anna), quote.id());
        assertThat(pdf.name()).isEqualTo("Q-2026-00001.pdf");
        String text = text(pdf.content());
        assertThat(text).contains("Quote Q-2026-00001", "Fleet 2027", "Quote date", "Valid until", "Your contact",
                "Pos.", "Quantity", "List price", "Net total", "plus VAT 19 %", "Gross total", "Page 1 of 2",
                "Page 2 of 2", "1,250.00", "All amounts in EUR");
        assertThat(text).doesNotContain("Seite");
        Quotes.Mail mail = quotes.draft(as(anna), quote.id(), "Anna Berger");
        assertThat(mail.subject()).isEqualTo("Quote Q-2026-00001: Fleet 2027");
        assertThat(mail.body()).contains("Kind regards");
    }

    private String payloadOf(long outboxId) throws Exception {
        try (var c = platform.database.dataSource().getConnection();
             var statement = c.prepareStatement("SELECT payload FROM crm_outbox WHERE id = ?")) {
            statement.setLong(1, outboxId);
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static String text(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }
}
