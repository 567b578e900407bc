package io.relata.runtime.marketing;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.MailTemplate;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordPage;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.record.ValidationException;
import io.relata.process.Outbox;
import io.relata.process.ProcessJson;
import io.relata.process.Templates;
import io.relata.store.JdbcTransactions;
import io.relata.store.RecordWriteHook;
import io.relata.store.SecuredRecordStore;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Consents per person and purpose, with their proof, and the two links that change them without a login: the
 * confirmation of a double opt-in and the withdrawal (unsubscribe) from a mail.
 *
 * <p>A consent asked for a purpose with double opt-in waits ({@value #PENDING}) until the person confirms through the
 * link of the {@value #CONFIRMATION_TEMPLATE} mail, queued in the same transaction; after {@link #CONFIRM_WITHIN} it
 * is {@value #EXPIRED}. Only a {@value #GRANTED} consent lets a campaign reach the address ({@link #granted}).
 *
 * <p>A link carries a random token of 256 bits; only its SHA-256 is stored (crm_consent_token), so the database does
 * not hold what opens it. A link is not guessable, and using it needs a click on its page (a POST): mail scanners
 * that open every link of a mail change nothing. The RFC 8058 one-click POST a mail program sends withdraws at once.
 * Every change is written through an audited store as the platform, so it appears in the person's history.
 */
public final class Consents {

    public static final String ENTITY = "consent";
    public static final String PURPOSE_ENTITY = "consent_purpose";
    public static final String CONFIRMATION_TEMPLATE = "consent_confirmation";
    public static final String PENDING = "pending";
    public static final String GRANTED = "granted";
    public static final String WITHDRAWN = "withdrawn";
    public static final String EXPIRED = "expired";
    /** How long a confirmation link works. */
    public static final Duration CONFIRM_WITHIN = Duration.ofDays(7);

    /** The kind of a confirmation link ({@link LinkView#kind}). */
    public static final String CONFIRM_KIND = "confirm";
    /** The kind of an unsubscribe link. */
    public static final String WITHDRAW_KIND = "withdraw";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a person asks for: a consent for {@code purpose} (its key), for {@code email}. */
    public record Request(String email, String purpose, RecordLink person, String language, String source,
                          String sourceDetail, String ipAddress, String userAgent) {
    }

    /** What a link's page shows: the purpose in the consent's language, the address, and what the link can still do. */
    public record LinkView(String kind, LinkState state, String email, String purpose, String wording, String language) {
    }

    /** Where a link stands. */
    public enum LinkState {
        /** The click does what the link is for. */
        OPEN,
        /** It was used; using it again changes nothing. */
        DONE,
        /** A confirmation link older than {@link #CONFIRM_WITHIN}. */
        EXPIRED
    }

    private final Supplier<MetadataModel> models;
    private final Supplier<SecuredRecordStore> platformRecords;
    private final JdbcTransactions transactions;
    private final Outbox outbox;
    private final Supplier<String> baseUrl;
    private final Clock clock;

    /**
     * @param platformRecords an audited store acting as the platform (every record, every field), so that each step is
     *                        in the consent's history
     */
    public Consents(Supplier<MetadataModel> models, Supplier<SecuredRecordStore> platformRecords,
                    JdbcTransactions transactions, Outbox outbox, Supplier<String> baseUrl, Clock clock) {
        this.models = Objects.requireNonNull(models, "models");
        this.platformRecords = Objects.requireNonNull(platformRecords, "platformRecords");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Records a consent asked for. With double opt-in (the purpose's default) it is {@value #PENDING} and the
     * confirmation mail is queued in the same transaction; without, it is {@value #GRANTED} at once. The wording
     * shown is the purpose's in the request's language, kept with the consent.
     *
     * @throws ValidationException for an address that is not one or a purpose that does not exist or is inactive
     */
    public Record request(Request request) {
        return request(platformRecords.get(), request);
    }

    /**
     * {@link #request(Request)} entered by a user (a consent given on the phone or in person): created through their
     * own store, so it needs their right to create consents and its history names them.
     */
    public Record request(SecuredRecordStore enteredBy, Request request) {
        String email = address(request.email());
        Record purpose = purpose(request.purpose());
        String language = language(request.language());
        String wording = text(purpose.get("text_" + language));
        boolean doubleOptIn = !Boolean.FALSE.equals(purpose.get("double_opt_in"));
        OffsetDateTime now = OffsetDateTime.now(clock);
        return transactions.inTransaction(() -> {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("email", email);
            values.put("purpose", purpose.id());
            if (request.person() != null) {
                values.put(request.person().entity(), request.person().id());
            }
            values.put("status", doubleOptIn ? PENDING : GRANTED);
            values.put("source", request.source());
            values.put("source_detail", request.sourceDetail());
            values.put("language", language);
            values.put("text_shown", wording);
            values.put("requested_at", now);
            values.put("ip_address", shorten(request.ipAddress(), 64));
            values.put("user_agent", shorten(request.userAgent(), 400));
            if (!doubleOptIn) {
                values.put("granted_at", now);
            }
            values.values().removeIf(Objects::isNull);
            return enteredBy.create(ENTITY, values); // a pending one gets its confirmation mail from the hook
        });
    }

    /**
     * Sends the confirmation of every consent created as {@value #PENDING}, however it was created (this class, the
     * consent list, the API, an import), in the write's transaction; gives it the time it was asked for and the
     * purpose's wording in its language when the writer gave none.
     */
    public RecordWriteHook hook() {
        return new RecordWriteHook() {
            @Override
            public void checking(Check check) {
                if (!check.isNew() || !check.entity().name().equals(ENTITY) || !PENDING.equals(check.values().get("status"))) {
                    return;
                }
                if (check.values().get("requested_at") == null) {
                    check.set("requested_at", OffsetDateTime.now(clock));
                }
                if (check.values().get("text_shown") == null && check.values().get("purpose") instanceof Number id) {
                    platformRecords.get().find(PURPOSE_ENTITY, id.longValue()).ifPresent(purpose -> check.set("text_shown",
                            text(purpose.get("text_" + language(check.values().get("language"))))));
                }
            }

            @Override
            public void written(Written written) throws SQLException {
                Record consent = written.after();
                if (written.before() != null || consent == null || !written.entity().name().equals(ENTITY)
                        || !PENDING.equals(consent.get("status"))) {
                    return;
                }
                String token = newToken(written.connection(), consent.id(), CONFIRM_KIND,
                        OffsetDateTime.now(clock).plus(CONFIRM_WITHIN));
                Record purpose = platformRecords.get().find(PURPOSE_ENTITY, ((Number) consent.get("purpose")).longValue())
                        .orElseThrow();
                queueConfirmation(written.connection(), consent, purpose, language(consent.get("language")), token);
            }
        };
    }

    /** The language of mails and pages for a stored language value: English if it says so, German otherwise. */
    static String language(Object value) {
        return "en".equals(value) ? "en" : "de";
    }

    /** What the page of a link shows, if the token is one. */
    public Optional<LinkView> view(String token) {
        return transactions.inTransaction(() -> link(token).map(link -> {
            Record consent = platformRecords.get().find(ENTITY, link.consentId()).orElseThrow();
            String language = language(consent.get("language"));
            Record purpose = platformRecords.get().find(PURPOSE_ENTITY, ((Number) consent.get("purpose")).longValue())
                    .orElseThrow();
            return new LinkView(link.kind(), state(link, consent), text(consent.get("email")),
                    text(purpose.get("label_" + language)), text(consent.get("text_shown")), language);
        }));
    }

    /**
     * The click on a confirmation link: the consent is {@value #GRANTED}, with the time and where the click came
     * from. A link used before, expired, or of a withdrawn consent changes nothing.
     *
     * @return the state the link was in (only {@link LinkState#OPEN} changed anything)
     */
    public Optional<LinkState> confirm(String token, String ipAddress, String userAgent) {
        return use(token, CONFIRM_KIND, consent -> Map.of("status", GRANTED, "granted_at", OffsetDateTime.now(clock),
                "confirmed_ip_address", nullToEmpty(shorten(ipAddress, 64)),
                "confirmed_user_agent", nullToEmpty(shorten(userAgent, 400))));
    }

    /**
     * The click on an unsubscribe link (its page, or a mail program's one-click POST): the consent is
     * {@value #WITHDRAWN}. Using it again changes nothing.
     */
    public Optional<LinkState> withdraw(String token) {
        return use(token, WITHDRAW_KIND, consent -> Map.of("status", WITHDRAWN, "withdrawn_at", OffsetDateTime.now(clock)));
    }

    /**
     * A new unsubscribe link for the consent, for one mail: {@code <base>/unsubscribe.xhtml?t=…}. Its one-click POST
     * address (RFC 8058) is {@link #oneClickUrl}. Within the caller's transaction if there is one.
     */
    public String unsubscribeToken(long consentId) {
        return transactions.inTransaction(() -> {
            try {
                return newToken(transactions.currentConnection().orElseThrow(), consentId, WITHDRAW_KIND, null);
            } catch (SQLException e) {
                throw new IllegalStateException("The unsubscribe link could not be stored: " + e.getMessage(), e);
            }
        });
    }

    public String unsubscribeUrl(String token) {
        return baseUrl.get() + "/unsubscribe.xhtml?t=" + token;
    }

    public String oneClickUrl(String token) {
        return baseUrl.get() + "/api/v1/public/unsubscribe/" + token;
    }

    public String confirmationUrl(String token) {
        return baseUrl.get() + "/consent.xhtml?t=" + token;
    }

    /** The granted consent of {@code email} for the purpose (its key), if there is one. */
    public Optional<Record> granted(String email, String purpose) {
        return findPurpose(purpose).flatMap(p -> granted(email, p.id()));
    }

    /** The granted consent of {@code email} for the purpose (its record id), if there is one: one query. */
    public Optional<Record> granted(String email, long purposeId) {
        if (email == null || email.isBlank()) {
            return Optional.empty();
        }
        return platformRecords.get().query(ENTITY, new RecordQuery(List.of(
                        new Filter("email", FilterOperator.EQ, email.strip().toLowerCase(Locale.ROOT)),
                        new Filter("purpose", FilterOperator.EQ, purposeId),
                        new Filter("status", FilterOperator.EQ, GRANTED)), List.of(), null, 1, null))
                .records().stream().findFirst();
    }

    /**
     * Which of {@code emails} (lower case) have a granted consent for the purpose: one query for them all, for a page
     * of a campaign's people.
     */
    public Set<String> grantedAmong(Collection<String> emails, long purposeId) {
        if (emails.isEmpty()) {
            return Set.of();
        }
        Set<String> granted = new HashSet<>();
        String cursor = null;
        do {
            RecordPage page = platformRecords.get().query(ENTITY, new RecordQuery(List.of(
                    new Filter("email", FilterOperator.IN, List.copyOf(emails)),
                    new Filter("purpose", FilterOperator.EQ, purposeId),
                    new Filter("status", FilterOperator.EQ, GRANTED)), List.of(Sort.asc("id")), null, RecordQuery.MAX_LIMIT,
                    cursor));
            page.records().forEach(consent -> granted.add(String.valueOf(consent.get("email"))));
            cursor = page.nextCursor();
        } while (cursor != null);
        return granted;
    }

    /** Consents still {@value #PENDING} after {@link #CONFIRM_WITHIN} become {@value #EXPIRED}; returns how many. */
    public int expireUnconfirmed() {
        OffsetDateTime before = OffsetDateTime.now(clock).minus(CONFIRM_WITHIN);
        List<Record> stale = platformRecords.get().query(ENTITY, new RecordQuery(List.of(
                new Filter("status", FilterOperator.EQ, PENDING),
                new Filter("requested_at", FilterOperator.LE, before)), List.of(), null, 500, null)).records();
        int expired = 0;
        for (Record consent : stale) {
            try {
                platformRecords.get().update(ENTITY, consent.id(), consent.version(), Map.of("status", EXPIRED));
                expired++;
            } catch (RuntimeException e) {
                // confirmed or changed a moment ago: the next round looks again
            }
        }
        return expired;
    }

    // ---- links ----

    private record Link(String tokenHash, long consentId, String kind, OffsetDateTime expiresAt, OffsetDateTime usedAt) {
    }

    private Optional<LinkState> use(String token, String kind,
                                    java.util.function.Function<Record, Map<String, Object>> change) {
        return transactions.inTransaction(() -> {
            Optional<Link> link = link(token).filter(l -> l.kind().equals(kind));
            if (link.isEmpty()) {
                return Optional.<LinkState>empty();
            }
            Record consent = platformRecords.get().find(ENTITY, link.get().consentId()).orElseThrow();
            LinkState state = state(link.get(), consent);
            if (state != LinkState.OPEN) {
                return Optional.of(state);
            }
            markUsed(link.get());
            platformRecords.get().update(ENTITY, consent.id(), consent.version(), change.apply(consent));
            return Optional.of(LinkState.OPEN);
        });
    }

    private LinkState state(Link link, Record consent) {
        if (link.kind().equals(WITHDRAW_KIND)) {
            return WITHDRAWN.equals(consent.get("status")) ? LinkState.DONE : LinkState.OPEN;
        }
        if (link.usedAt() != null || GRANTED.equals(consent.get("status"))) {
            return LinkState.DONE;
        }
        boolean late = link.expiresAt() != null && !OffsetDateTime.now(clock).isBefore(link.expiresAt());
        return late || !PENDING.equals(consent.get("status")) ? LinkState.EXPIRED : LinkState.OPEN;
    }

    private Optional<Link> link(String token) {
        if (token == null || !token.matches("[A-Za-z0-9_-]{43}")) {
            return Optional.empty();
        }
        Connection c = transactions.currentConnection().orElseThrow();
        try (PreparedStatement statement = c.prepareStatement("SELECT token_hash, consent_id, kind, expires_at, used_at "
                + "FROM crm_consent_token WHERE token_hash = ?")) {
            statement.setString(1, hash(token));
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Link(rs.getString(1), rs.getLong(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class), rs.getObject(5, OffsetDateTime.class)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The consent link could not be read: " + e.getMessage(), e);
        }
    }

    private void markUsed(Link link) {
        Connection c = transactions.currentConnection().orElseThrow();
        try (PreparedStatement statement = c.prepareStatement("UPDATE crm_consent_token SET used_at = ? WHERE token_hash = ?")) {
            statement.setObject(1, OffsetDateTime.now(clock));
            statement.setString(2, link.tokenHash());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("The consent link could not be marked as used: " + e.getMessage(), e);
        }
    }

    private String newToken(Connection c, long consentId, String kind, OffsetDateTime expires) throws SQLException {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try (PreparedStatement statement = c.prepareStatement("INSERT INTO crm_consent_token (token_hash, consent_id, "
                + "kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
            statement.setString(1, hash(token));
            statement.setLong(2, consentId);
            statement.setString(3, kind);
            statement.setObject(4, OffsetDateTime.now(clock));
            statement.setObject(5, expires);
            statement.executeUpdate();
        }
        return token;
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the confirmation mail ----

    private void queueConfirmation(Connection c, Record consent, Record purpose, String language, String token)
            throws SQLException {
        String email = text(consent.get("email"));
        MailTemplate template = models.get().template(CONFIRMATION_TEMPLATE).orElseThrow(() -> new IllegalStateException(
                "There is no mail template '" + CONFIRMATION_TEMPLATE + "' in metadata/templates: the confirmation of a"
                        + " double opt-in cannot be sent"));
        Map<String, Object> record = new LinkedHashMap<>(Templates.textValues(consent.values()));
        record.put("id", consent.id());
        record.put("purpose_label", text(purpose.get("label_" + language)));
        record.put("confirmation_link", confirmationUrl(token));
        record.put("confirm_within_days", CONFIRM_WITHIN.toDays());
        Map<String, Object> render = new LinkedHashMap<>();
        render.put("record", record);
        render.put("settings", Map.of("base_url", baseUrl.get()));
        String subject = Templates.render("template " + template.name() + ", subject (" + language + ")",
                template.subject() == null ? "" : template.subject().in(language), render)
                .replaceAll("[\\r\\n]+", " ").strip();
        String body = Templates.render("template " + template.name() + ", body (" + language + ")",
                template.body() == null ? "" : template.body().in(language), render);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("to", email);
        payload.put("subject", subject);
        payload.put("body", body);
        payload.put("language", language);
        payload.put("template", template.name());
        outbox.queue(c, Outbox.Kind.MAIL, ProcessJson.write(payload),
                "mail " + template.name() + " to " + email + " (" + ENTITY + " " + consent.id() + ")",
                new RecordLink(ENTITY, consent.id()));
    }

    // ---- values ----

    private Record purpose(String key) {
        return findPurpose(key).filter(p -> !Boolean.FALSE.equals(p.get("active")))
                .orElseThrow(() -> new ValidationException(List.of(new FieldError("purpose", ErrorCodes.UNKNOWN_OPTION,
                        LocalizedText.format("Den Einwilligungszweck \u201e{0}\u201c gibt es nicht oder er ist nicht aktiv",
                                "There is no active consent purpose ''{0}''", String.valueOf(key))))));
    }

    private Optional<Record> findPurpose(String key) {
        if (key == null || key.isBlank()) {
            return Optional.empty();
        }
        return platformRecords.get().query(PURPOSE_ENTITY, new RecordQuery(List.of(
                new Filter("name", FilterOperator.EQ, key.strip())), List.of(), null, 1, null)).records().stream().findFirst();
    }

    private static String address(String email) {
        String value = email == null ? "" : email.strip();
        try {
            InternetAddress parsed = new InternetAddress(value, true);
            if (!parsed.getAddress().equals(value) || !value.contains("@")) {
                throw new AddressException("not a single plain address");
            }
            return value.toLowerCase(Locale.ROOT);
        } catch (AddressException e) {
            throw new ValidationException(List.of(new FieldError("email", ErrorCodes.INVALID_EMAIL, LocalizedText.format(
                    "Geben Sie eine E-Mail-Adresse an (z. B. anna@example.com)",
                    "Enter an e-mail address (e.g. anna@example.com)"))));
        }
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String shorten(String value, int max) {
        if (value == null) {
            return null;
        }
        String stripped = value.strip();
        return stripped.length() <= max ? stripped : stripped.substring(0, max);
    }
}
