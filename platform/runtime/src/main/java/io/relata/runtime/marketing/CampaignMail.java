package io.relata.runtime.marketing;

import io.relata.api.record.Record;
import io.relata.process.Templates;
import io.relata.store.SecuredRecordStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A campaign's mail as one person reads it: the subject and text of their language (German or English) with the
 * placeholders filled from their contact or lead ({@code {{record.first_name}}}), the campaign's owner
 * ({@code {{sender.name}}}, {@code {{sender.email}}}) and the settings ({@code {{settings.base_url}}}), and the footer
 * with their own unsubscribe link. The sender sends it; the campaign page previews it for a real person.
 */
public final class CampaignMail {

    /** The mail of one person. */
    public record Text(String language, String subject, String body) {
    }

    /** A user's name and address, for the {@code sender} placeholders. */
    public record Sender(String name, String email) {
        static final Sender NOBODY = new Sender("", "");
    }

    private static final List<String> PEOPLE = List.of("contact", "lead");

    private final Supplier<SecuredRecordStore> platformRecords;
    private final Function<Long, Optional<Sender>> users;
    private final Supplier<String> baseUrl;

    public CampaignMail(Supplier<SecuredRecordStore> platformRecords, Function<Long, Optional<Sender>> users,
                        Supplier<String> baseUrl) {
        this.platformRecords = Objects.requireNonNull(platformRecords, "platformRecords");
        this.users = Objects.requireNonNull(users, "users");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    }

    /**
     * The mail of a campaign member signed by {@code sender} ({@link #sender}), ending with {@code unsubscribeUrl};
     * {@code links} rewrites the links of the
     * campaign's text (to count clicks), not the unsubscribe link.
     *
     * @throws IllegalArgumentException if the campaign's subject or text is not a valid template, saying where
     */
    public Text of(Record campaign, Sender sender, Record member, String unsubscribeUrl, UnaryOperator<String> links) {
        return compose(campaign, sender, Consents.language(member.get("language")), personOf(member), unsubscribeUrl,
                links);
    }

    /** Who signs the campaign's mails: its owner; read once per round of sending, not per mail. */
    public Sender sender(Record campaign) {
        return campaign.ownerUser() == null ? Sender.NOBODY : users.apply(campaign.ownerUser()).orElse(Sender.NOBODY);
    }

    /**
     * The mail {@code person} (a contact or lead) would get, in their language; the unsubscribe link is a placeholder,
     * as a real one would be a working link to withdraw their consent.
     *
     * @throws IllegalArgumentException if the campaign's subject or text is not a valid template, saying where
     */
    public Text preview(Record campaign, Record person) {
        String language = Consents.language(person.get("language"));
        return compose(campaign, sender(campaign), language, values(person), "de".equals(language)
                ? "(persönlicher Abmeldelink)" : "(personal unsubscribe link)", UnaryOperator.identity());
    }

    private Text compose(Record campaign, Sender sender, String language, Map<String, Object> person,
                         String unsubscribeUrl, UnaryOperator<String> links) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("record", person);
        context.put("sender", Map.of("name", text(sender.name()), "email", text(sender.email())));
        context.put("settings", Map.of("base_url", baseUrl.get()));
        String subject = Templates.render("campaign " + campaign.id() + ", subject (" + language + ")",
                text(campaign.get("subject_" + language)), context).replaceAll("[\\r\\n]+", " ").strip();
        String body = links.apply(Templates.render("campaign " + campaign.id() + ", text (" + language + ")",
                text(campaign.get("body_" + language)), context));
        String footer = "de".equals(language)
                ? "\n\n-- \nSie erhalten diese E-Mail, weil Sie eingewilligt haben. Abmelden: " + unsubscribeUrl
                : "\n\n-- \nYou receive this e-mail because you agreed to it. Unsubscribe: " + unsubscribeUrl;
        return new Text(language, subject, body + footer);
    }

    /** The values of the contact or lead a member stands for; only the address if the person is gone. */
    private Map<String, Object> personOf(Record member) {
        for (String entity : PEOPLE) {
            if (member.get(entity) instanceof Number id) {
                Optional<Record> person = platformRecords.get().find(entity, id.longValue());
                if (person.isPresent()) {
                    return values(person.get());
                }
            }
        }
        return Map.of("email", text(member.get("email")));
    }

    private static Map<String, Object> values(Record person) {
        Map<String, Object> values = new LinkedHashMap<>(Templates.textValues(person.values()));
        values.put("id", person.id());
        return values;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
