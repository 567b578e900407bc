package io.relata.runtime.orders;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.FieldError;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordPage;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.record.ValidationException;
import io.relata.api.process.MailTemplate;
import io.relata.api.record.ErrorCodes;
import io.relata.api.model.FieldType;
import io.relata.process.Outbox;
import io.relata.process.Templates;
import io.relata.process.ProcessJson;
import io.relata.runtime.files.RecordFiles;
import io.relata.store.JdbcTransactions;
import io.relata.store.SecuredRecordStore;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What users do with a quote beyond editing it: print it as a PDF in the customer's language, send it by e-mail
 * (PDF attached, through the outbox) which moves it to {@value #SENT}, and make a new version of a quote the customer
 * has, which supersedes it. Everything runs through the user's own store: their rights, the quote's rules (a sent
 * quote is frozen), its process (a discount above the limit cannot be sent before approval) and the audit.
 *
 * <p>It follows the shipped entities' names ({@code quote}, {@code quote_line} and their fields, docs/orders.md);
 * fields an admin removed are left out of the PDF, fields an admin added to the lines are not printed.
 */
public final class Quotes {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Quotes.class.getName());

    public static final String QUOTE = "quote";
    public static final String LINE = "quote_line";
    public static final String SENT = "sent";
    public static final String DRAFT = "draft";
    public static final String SUPERSEDED = "superseded";
    public static final String TEMPLATE = "quote_sent";
    /** Set by a new version only: read-only for users. */
    public static final Set<String> PLATFORM_FIELDS = Set.of("version_no", "previous_version");
    /** The quote's phases from which a new version may be made: those the customer may hold. */
    public static final Set<String> VERSIONABLE_STATUSES = Set.of("sent", "declined", "expired", "approved", "in_approval");
    /** What a new version takes over from the quote; dates and the approval start afresh. */
    private static final List<String> COPIED = List.of("name", "opportunity", "contact", "currency", "language", "terms");
    private static final List<String> LINE_COPIED = List.of("position", "product", "description", "quantity",
            "discount_percent", "tax_rate");
    private static final List<String> COLUMNS = List.of("position", "description", "quantity", "unit", "list_price",
            "discount_percent", "net");

    private final Supplier<MetadataModel> models;
    private final JdbcTransactions transactions;
    private final Outbox outbox;
    private final Letterhead letterhead;
    private final Function<Long, Optional<String>> userNames;
    private final String defaultLanguage;
    private final RecordFiles files;

    /**
     * @param files     where the PDF of a sent quote is kept, among the quote's files
     * @param userNames the display name of a user (the quote owner is the customer's contact person)
     */
    public Quotes(Supplier<MetadataModel> models, JdbcTransactions transactions, Outbox outbox, RecordFiles files,
                  Letterhead letterhead, Function<Long, Optional<String>> userNames, String defaultLanguage) {
        this.models = Objects.requireNonNull(models, "models");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.files = Objects.requireNonNull(files, "files");
        this.letterhead = Objects.requireNonNull(letterhead, "letterhead");
        this.userNames = Objects.requireNonNull(userNames, "userNames");
        this.defaultLanguage = defaultLanguage;
    }

    /** Whether the model has quotes with lines. */
    public boolean available() {
        MetadataModel model = models.get();
        return model.entity(QUOTE).flatMap(e -> e.field("status")).isPresent()
                && model.entity(LINE).flatMap(e -> e.field("quote")).isPresent();
    }

    /** A generated document. */
    public record Pdf(String name, byte[] content) {
    }

    /** A mail to send: the recipient's address, subject and body. */
    public record Mail(String to, String subject, String body) {
    }

    // ---- the PDF ----

    /** The quote as a PDF in its language, as the user may read it (lines, values and names they cannot see are left out). */
    public Pdf pdf(SecuredRecordStore records, long quoteId) {
        Record quote = records.get(QUOTE, quoteId);
        String language = language(quote);
        SalesDocument document = document(records, quote, language);
        byte[] content = SalesDocumentPdf.render(document, "de".equals(language) ? "Seite {0} von {1}" : "Page {0} of {1}");
        return new Pdf(fileName(quote), content);
    }

    private SalesDocument document(SecuredRecordStore records, Record quote, String language) {
        MetadataModel model = models.get();
        EntityDefinition quotes = model.entity(QUOTE).orElseThrow();
        EntityDefinition lineEntity = model.entity(LINE).orElseThrow();
        DocumentFormat format = new DocumentFormat(language);
        String currency = optionLabel(quotes, "currency", quote.get("currency"), language).map(label -> codeOf(label,
                quote.get("currency"))).orElse("");

        List<String> recipient = new ArrayList<>();
        Record account = reference(records, "account", quote.get("account"));
        Record contact = reference(records, "contact", quote.get("contact"));
        if (account != null) {
            addIfPresent(recipient, account.get("name"));
        }
        if (contact != null) {
            String name = String.join(" ", List.of(text(contact.get("first_name")), text(contact.get("last_name"))))
                    .strip();
            addIfPresent(recipient, name);
        }
        if (account != null) {
            addIfPresent(recipient, account.get("street"));
            addIfPresent(recipient, (text(account.get("postal_code")) + " " + text(account.get("city"))).strip());
        }

        List<SalesDocument.Fact> facts = new ArrayList<>();
        fact(facts, quotes, "number", quote, language, format);
        fact(facts, quotes, "quote_date", quote, language, format);
        fact(facts, quotes, "valid_until", quote, language, format);
        if (quote.get("version_no") instanceof Number version && version.longValue() > 1) {
            fact(facts, quotes, "version_no", quote, language, format);
        }
        if (quote.ownerUser() != null) {
            userNames.apply(quote.ownerUser()).ifPresent(name -> facts.add(new SalesDocument.Fact(
                    text(language, "Ihr Ansprechpartner", "Your contact"), name)));
        }

        List<FieldDefinition> columns = COLUMNS.stream().map(name -> lineEntity.field(name).orElse(null))
                .filter(Objects::nonNull).toList();
        List<List<String>> rows = new ArrayList<>();
        Map<BigDecimal, BigDecimal> taxByRate = new TreeMap<>();
        for (Record line : lines(records, quote.id())) {
            List<String> row = new ArrayList<>();
            for (FieldDefinition column : columns) {
                row.add(cell(lineEntity, column, line.get(column.name()), language, format));
            }
            rows.add(row);
            if (line.get("tax") instanceof BigDecimal tax && line.get("tax_rate") instanceof BigDecimal rate) {
                taxByRate.merge(rate.stripTrailingZeros(), tax, BigDecimal::add);
            }
        }
        List<SalesDocument.Fact> totals = new ArrayList<>();
        total(totals, quotes, "net_total", quote, language, format, currency);
        taxByRate.forEach((rate, tax) -> totals.add(new SalesDocument.Fact(text(language, "zzgl. Umsatzsteuer {0} %",
                "plus VAT {0} %", format.number(rate)), format.money(tax, currency))));
        if (taxByRate.isEmpty()) {
            total(totals, quotes, "tax_total", quote, language, format, currency);
        }
        total(totals, quotes, "gross_total", quote, language, format, currency);

        String footnote = quote.get("valid_until") instanceof LocalDate until
                ? text(language, "Dieses Angebot gilt bis zum {0}. Alle Beträge in {1}.",
                        "This quote is valid until {0}. All amounts in {1}.", format.date(until), currency)
                : "";
        return new SalesDocument(letterhead,
                quotes.label().in(language) + " " + text(quote.get("number")),
                recipient, facts, text(quote.get("name")),
                text(language, "Wir freuen uns, Ihnen folgendes Angebot zu machen:",
                        "We are pleased to offer you the following:"),
                columns.stream().map(f -> f.label().in(language)).toList(),
                columns.stream().map(f -> f.type() == FieldType.INTEGER || f.type() == FieldType.DECIMAL
                        || f.type() == FieldType.MONEY).toList(),
                rows, totals, text(quote.get("terms")), footnote);
    }

    private static void fact(List<SalesDocument.Fact> facts, EntityDefinition entity, String field, Record record,
                             String language, DocumentFormat format) {
        Object value = record.get(field);
        entity.field(field).filter(f -> value != null).ifPresent(f ->
                facts.add(new SalesDocument.Fact(f.label().in(language), format.value(value))));
    }

    private static void total(List<SalesDocument.Fact> totals, EntityDefinition entity, String field, Record record,
                              String language, DocumentFormat format, String currency) {
        if (record.get(field) instanceof BigDecimal amount) {
            entity.field(field).ifPresent(f -> totals.add(new SalesDocument.Fact(f.label().in(language),
                    format.money(amount, currency))));
        }
    }

    private static String cell(EntityDefinition entity, FieldDefinition field, Object value, String language,
                               DocumentFormat format) {
        if (value == null) {
            return "";
        }
        return switch (field.type()) {
            case MONEY -> format.money((BigDecimal) value, null); // the currency is said once, under the table
            case CHOICE -> optionLabel(entity, field.name(), value, language).orElse(String.valueOf(value));
            case DECIMAL -> format.number((BigDecimal) value);
            default -> format.value(value);
        };
    }

    /** The code of a currency option: "EUR" from the label "Euro (EUR)", else the value in capitals. */
    private static String codeOf(String label, Object value) {
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("\\(([A-Z]{3})\\)").matcher(label);
        return code.find() ? code.group(1) : String.valueOf(value).toUpperCase(java.util.Locale.ROOT);
    }

    private static Optional<String> optionLabel(EntityDefinition entity, String field, Object value, String language) {
        if (value == null) {
            return Optional.empty();
        }
        return entity.field(field).flatMap(f -> f.option(String.valueOf(value))).map(o -> o.label().in(language));
    }

    /** The lines of the quote the user may read, in position order. */
    static List<Record> lines(SecuredRecordStore records, long quoteId) {
        List<Record> lines = new ArrayList<>();
        String cursor = null;
        do {
            RecordPage page = records.query(LINE, new RecordQuery(List.of(new Filter("quote", FilterOperator.EQ,
                    Long.toString(quoteId))), List.of(Sort.asc("position")), null, RecordQuery.MAX_LIMIT, cursor));
            lines.addAll(page.records());
            cursor = page.nextCursor();
        } while (cursor != null);
        return lines;
    }

    private static Record reference(SecuredRecordStore records, String entity, Object id) {
        return id instanceof Number number ? records.find(entity, number.longValue()).orElse(null) : null;
    }

    private static void addIfPresent(List<String> lines, Object value) {
        String text = text(value).strip();
        if (!text.isEmpty()) {
            lines.add(text);
        }
    }

    private static String fileName(Record quote) {
        String number = text(quote.get("number")).replaceAll("[^A-Za-z0-9._-]", "_");
        return (number.isEmpty() ? "quote-" + quote.id() : number) + ".pdf";
    }

    // ---- sending ----

    /**
     * The mail a quote would go out with: to its recipient (the contact's e-mail), subject and body from the
     * template {@value #TEMPLATE} in the quote's language, signed with the sender's name and the company.
     */
    public Mail draft(SecuredRecordStore records, long quoteId, String senderName) {
        Record quote = records.get(QUOTE, quoteId);
        String language = language(quote);
        Record contact = reference(records, "contact", quote.get("contact"));
        String to = contact == null ? "" : text(contact.get("email"));
        Optional<MailTemplate> template = models.get().template(TEMPLATE);
        DocumentFormat format = new DocumentFormat(language);
        Map<String, Object> values = new LinkedHashMap<>();
        quote.values().forEach((field, value) -> values.put(field, value == null ? null : format.value(value)));
        values.put("id", quote.id());
        Map<String, Object> context = Map.of("record", values);
        String subject = template.map(t -> Templates.render("template " + TEMPLATE + ", subject (" + language + ")",
                t.subject().in(language), context).replaceAll("[\\r\\n]+", " ").strip())
                .orElse(text(quote.get("number")) + " " + text(quote.get("name")));
        String body = template.map(t -> Templates.render("template " + TEMPLATE + ", body (" + language + ")",
                t.body().in(language), context)).orElse("").stripTrailing();
        String signature = String.join("\n", List.of(senderName == null ? "" : senderName, letterhead.name())).strip();
        return new Mail(to, subject, body.isEmpty() ? signature : body + "\n" + signature + "\n");
    }

    /**
     * Sends the quote: moves it to {@value #SENT} (its guards and required fields apply, so a discount that needs
     * approval is refused here) and queues the mail with the PDF attached, in one transaction; the PDF is also kept
     * among the quote's files once that committed.
     *
     * @throws ValidationException when the address is not one, or the move is refused
     */
    public Record send(SecuredRecordStore records, long quoteId, long expectedVersion, Mail mail) {
        String to = mail.to() == null ? "" : mail.to().strip();
        try {
            InternetAddress[] parsed = InternetAddress.parse(to, true);
            if (parsed.length == 0) {
                throw new AddressException("empty");
            }
        } catch (AddressException e) {
            throw new ValidationException(List.of(new FieldError("to", ErrorCodes.INVALID_EMAIL, LocalizedText.format(
                    "Geben Sie die E-Mail-Adresse des Empfängers an (z. B. anna@example.com)",
                    "Enter the recipient's e-mail address (e.g. anna@example.com)"))));
        }
        Pdf pdf = pdf(records, quoteId);
        return transactions.inTransaction(() -> {
            Record sent = records.update(QUOTE, quoteId, expectedVersion, Map.of("status", SENT));
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("to", to);
            payload.put("subject", mail.subject() == null ? "" : mail.subject().replaceAll("[\\r\\n]+", " ").strip());
            payload.put("body", mail.body() == null ? "" : mail.body());
            payload.put("language", language(sent));
            payload.put("template", TEMPLATE);
            payload.put("attachments", List.of(Map.of("name", pdf.name(), "contentType", "application/pdf",
                    "base64", Base64.getEncoder().encodeToString(pdf.content()))));
            try {
                outbox.queue(transactions.currentConnection().orElseThrow(), Outbox.Kind.MAIL, ProcessJson.write(payload),
                        "mail " + TEMPLATE + " to " + to + " (" + QUOTE + " " + quoteId + ", " + pdf.name() + ")",
                        new RecordLink(QUOTE, quoteId));
            } catch (SQLException e) {
                throw new IllegalStateException("The mail could not be queued: " + e.getMessage(), e);
            }
            transactions.afterCommit(() -> keep(records, quoteId, pdf));
            return sent;
        });
    }

    /** The PDF as sent, among the quote's files; the mail is out either way, so a failure here is only logged. */
    private void keep(SecuredRecordStore records, long quoteId, Pdf pdf) {
        try {
            files.add(records, QUOTE, quoteId, null, pdf.name(), new java.io.ByteArrayInputStream(pdf.content()));
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, "The sent PDF of quote " + quoteId + " could not be kept among its"
                    + " files: " + e.getMessage(), e);
        }
    }

    // ---- versions ----

    /**
     * A new version of a quote the customer holds (sent, declined, expired) or that waits for approval: a draft with
     * the same subject, opportunity, recipient, currency, language, terms and lines (their prices from today's
     * lists), version number one higher and a link to this one, which becomes {@value #SUPERSEDED}. All or nothing.
     */
    public Record newVersion(SecuredRecordStore records, long quoteId) {
        return transactions.inTransaction(() -> {
            Record quote = records.get(QUOTE, quoteId);
            String status = text(quote.get("status"));
            if (!VERSIONABLE_STATUSES.contains(status)) {
                throw new ValidationException(List.of(new FieldError("status", ErrorCodes.PHASE_MOVE, LocalizedText.format(
                        "Von einem Angebot im Status „{0}“ gibt es keine neue Version: ein Entwurf wird direkt geändert,"
                                + " ein angenommenes oder ersetztes Angebot bleibt, wie es ist",
                        "A quote in status \"{0}\" gets no new version: a draft is changed directly, an accepted or"
                                + " superseded quote stays as it is", statusLabel(status)))));
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (String field : COPIED) {
                if (quote.values().containsKey(field)) {
                    values.put(field, quote.get(field));
                }
            }
            long version = quote.get("version_no") instanceof Number n ? n.longValue() : 1;
            values.put("status", DRAFT);
            Record created = records.create(QUOTE, values);
            Map<String, Object> platform = new LinkedHashMap<>();
            platform.put("version_no", version + 1);
            platform.put("previous_version", quoteId);
            created = records.updateOnBehalf(QUOTE, created.id(), created.version(), platform, PLATFORM_FIELDS, null, null);
            copyLines(records, quoteId, created.id());
            Record old = records.get(QUOTE, quoteId);
            records.update(QUOTE, quoteId, old.version(), Map.of("status", SUPERSEDED));
            return records.get(QUOTE, created.id());
        });
    }

    /**
     * Copies the lines of {@code from} (those the user may read) to the draft {@code to}: product, description,
     * quantity, discount and tax rate; the list prices come from today's price lists.
     */
    static void copyLines(SecuredRecordStore records, long from, long to) {
        for (Record line : lines(records, from)) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (String field : LINE_COPIED) {
                if (line.values().containsKey(field)) {
                    copy.put(field, line.get(field));
                }
            }
            copy.put("quote", to);
            records.create(LINE, copy);
        }
    }

    // ---- texts ----

    /** The status's label in each reader's language (a message argument), or the value if it has none. */
    private Object statusLabel(String status) {
        return models.get().entity(QUOTE).flatMap(e -> e.field("status")).flatMap(f -> f.option(status))
                .<Object>map(o -> o.label()).orElse(status);
    }

    private String language(Record quote) {
        String language = text(quote.get("language"));
        return language.equals("de") || language.equals("en") ? language : defaultLanguage;
    }

    private static String text(String language, String german, String english, Object... arguments) {
        return LocalizedText.format(german, english, arguments).in(language);
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }
}
