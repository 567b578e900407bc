package io.relata.runtime.marketing;

import io.relata.api.record.Record;
import io.relata.store.JdbcTransactions;
import io.relata.store.SecuredRecordStore;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counting the clicks on a campaign mail's links, for a campaign that asks for it ({@code track_clicks}; off by
 * default, when the links stay as written and nothing is tracked): each web link of a member's mail is replaced by
 * one through the CRM, {@code /api/v1/public/r/<token>}, which records the member's response {@code clicked} and
 * sends the browser on to the link. The tokens are random (256 bits) and kept only as SHA-256.
 */
public final class CampaignLinks {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** A web link in plain text, without the punctuation that ends a sentence after it. */
    private static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"]+[^\\s<>\".,;:!?)\\]]");
    private static final int MAX_URL = 2000;

    private final Supplier<SecuredRecordStore> platformRecords;
    private final JdbcTransactions transactions;
    private final CampaignResponses responses;
    private final Supplier<String> baseUrl;
    private final Clock clock;

    public CampaignLinks(Supplier<SecuredRecordStore> platformRecords, JdbcTransactions transactions,
                         CampaignResponses responses, Supplier<String> baseUrl, Clock clock) {
        this.platformRecords = Objects.requireNonNull(platformRecords, "platformRecords");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.responses = Objects.requireNonNull(responses, "responses");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The HTML with each web link ({@code <a href="http…">}) replaced by one that counts the member's click. */
    public String trackedHtml(long memberId, String html) {
        return transactions.inTransaction(() -> {
            org.jsoup.nodes.Document document = org.jsoup.Jsoup.parseBodyFragment(html);
            for (org.jsoup.nodes.Element link : document.select("a[href]")) {
                String url = link.attr("href").strip();
                if ((url.startsWith("http://") || url.startsWith("https://")) && url.length() <= MAX_URL) {
                    link.attr("href", baseUrl.get() + "/api/v1/public/r/" + newToken(memberId, url));
                }
            }
            document.outputSettings().prettyPrint(false);
            return document.body().html();
        });
    }

    /** The text with each web link replaced by one that counts the member's click. */
    public String tracked(long memberId, String text) {
        return transactions.inTransaction(() -> {
            Matcher link = LINK.matcher(text);
            StringBuilder out = new StringBuilder();
            while (link.find()) {
                String url = link.group();
                link.appendReplacement(out, Matcher.quoteReplacement(url.length() > MAX_URL ? url
                        : baseUrl.get() + "/api/v1/public/r/" + newToken(memberId, url)));
            }
            link.appendTail(out);
            return out.toString();
        });
    }

    /**
     * Where the link of {@code token} leads; its member's response becomes {@code clicked} (unless it is further on).
     * Empty for a token that is none.
     */
    public Optional<String> follow(String token) {
        if (token == null || !token.matches("[A-Za-z0-9_-]{43}")) {
            return Optional.empty();
        }
        return transactions.inTransaction(() -> {
            Connection c = transactions.currentConnection().orElseThrow();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT member_id, url, clicked_at FROM crm_campaign_link WHERE token_hash = ?")) {
                select.setString(1, Consents.hash(token));
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    long memberId = rs.getLong(1);
                    String url = rs.getString(2);
                    if (rs.getObject(3) == null) {
                        try (PreparedStatement update = c.prepareStatement(
                                "UPDATE crm_campaign_link SET clicked_at = ? WHERE token_hash = ?")) {
                            update.setObject(1, OffsetDateTime.now(clock));
                            update.setString(2, Consents.hash(token));
                            update.executeUpdate();
                        }
                    }
                    SecuredRecordStore records = platformRecords.get();
                    Optional<Record> member = records.find(CampaignAudience.MEMBER, memberId);
                    member.ifPresent(m -> responses.respond(records, m, "clicked"));
                    return Optional.of(url);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("The campaign link could not be followed: " + e.getMessage(), e);
            }
        });
    }

    private String newToken(long memberId, String url) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Connection c = transactions.currentConnection().orElseThrow();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO crm_campaign_link (token_hash, member_id, url, "
                + "created_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, Consents.hash(token));
            insert.setLong(2, memberId);
            insert.setString(3, url);
            insert.setObject(4, OffsetDateTime.now(clock));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("The campaign link could not be kept: " + e.getMessage(), e);
        }
        return token;
    }
}
