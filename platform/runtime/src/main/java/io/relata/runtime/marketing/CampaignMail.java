package io.relata.runtime.marketing;

import io.relata.api.record.Record;
import io.relata.process.Templates;
import io.relata.store.SecuredRecordStore;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A campaign's mail as one person reads it: the subject and text of their language (German or English) — the
 * campaign's own, or its mail template's ({@link Content}) — with the placeholders filled from their contact or lead
 * ({@code {{record.first_name}}}), the campaign's owner ({@code {{sender.name}}}, {@code {{sender.email}}}) and the
 * settings ({@code {{settings.base_url}}}), and the footer with their own unsubscribe link. A template may add an HTML
 * part; the text is then its plain-text alternative. The sender sends it; the campaign page previews it for a real
 * person.
 */
public final class CampaignMail {

    /** The mail of one person; {@code html} is null for a mail of plain text only. */
    public record Text(String language, String subject, String body, String html) {
    }

    /**
     * What a campaign's mails say, per language: from its mail template if it has one, otherwise its own subject and
     * text; {@code source} names it in template errors ("mail template 4", "campaign 12"). Read once per round.
     */
    public record Content(String source, Map<String, String> subjects, Map<String, String> bodies,
                          Map<String, String> htmls) {
    }

    public static final String TEMPLATE = "mail_template";
    private static final List<String> LANGUAGES = List.of("de", "en");
    /**
     * What an HTML part may hold: the text markup, tables, images and inline styles of mails, links to web pages and
     * mail addresses; no scripts, forms, frames or event handlers. A template's markup is cleaned before it is sent and
     * before it is shown in the CRM.
     */
    private static final Safelist HTML = Safelist.relaxed().addAttributes(":all", "style", "align", "width", "height")
            .addProtocols("a", "href", "http", "https", "mailto");

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
    public Text of(Content content, Sender sender, Record member, String unsubscribeUrl, Links links) {
        return compose(content, sender, Consents.language(member.get("language")), personOf(member), unsubscribeUrl,
                links);
    }

    /** How the links of a member's mail are rewritten (to count clicks): in the text, and in the HTML part. */
    public record Links(UnaryOperator<String> text, UnaryOperator<String> html) {
        /** The links stay as written. */
        public static final Links AS_WRITTEN = new Links(UnaryOperator.identity(), UnaryOperator.identity());
    }

    /** What the campaign's mails say: its mail template's texts, or its own. */
    public Content content(Record campaign) {
        if (campaign.get("template") instanceof Number template) {
            Optional<Record> found = platformRecords.get().find(TEMPLATE, template.longValue());
            if (found.isPresent()) {
                return contentOf(found.get());
            }
        }
        return texts("campaign " + campaign.id(), campaign);
    }

    /** What a mail template says. */
    public static Content contentOf(Record template) {
        return texts("mail template " + template.id(), template);
    }

    private static Content texts(String name, Record source) {
        Map<String, String> subjects = new LinkedHashMap<>();
        Map<String, String> bodies = new LinkedHashMap<>();
        Map<String, String> htmls = new LinkedHashMap<>();
        for (String language : LANGUAGES) {
            subjects.put(language, text(source.get("subject_" + language)));
            bodies.put(language, text(source.get("body_" + language)));
            if (source.get("html_" + language) instanceof String html && !html.isBlank()) {
                htmls.put(language, html);
            }
        }
        return new Content(name, subjects, bodies, htmls);
    }

    /** Who signs the mails of a campaign or sequence: its owner; read once per round of sending, not per mail. */
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
        return compose(content(campaign), sender(campaign), language, values(person), "de".equals(language)
                ? "(persönlicher Abmeldelink)" : "(personal unsubscribe link)", Links.AS_WRITTEN);
    }

    private Text compose(Content content, Sender sender, String language, Map<String, Object> person,
                         String unsubscribeUrl, Links links) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("record", person);
        context.put("sender", Map.of("name", text(sender.name()), "email", text(sender.email())));
        context.put("settings", Map.of("base_url", baseUrl.get()));
        String where = content.source() + ", ";
        String subject = Templates.render(where + "subject (" + language + ")", content.subjects().get(language), context)
                .replaceAll("[\\r\\n]+", " ").strip();
        String body = links.text().apply(Templates.render(where + "text (" + language + ")",
                content.bodies().get(language), context));
        boolean german = "de".equals(language);
        String footer = german
                ? "\n\n-- \nSie erhalten diese E-Mail, weil Sie eingewilligt haben. Abmelden: " + unsubscribeUrl
                : "\n\n-- \nYou receive this e-mail because you agreed to it. Unsubscribe: " + unsubscribeUrl;
        String html = null;
        String template = content.htmls().get(language);
        if (template != null) {
            String cleaned = Jsoup.clean(Templates.renderHtml(where + "HTML (" + language + ")", template, context), HTML);
            // the unsubscribe link is added after the links were rewritten: it is never counted as a click
            Document document = Jsoup.parse(links.html().apply(cleaned));
            document.body().appendElement("p").attr("style", "font-size:small;color:#666")
                    .appendText(german ? "Sie erhalten diese E-Mail, weil Sie eingewilligt haben. "
                            : "You receive this e-mail because you agreed to it. ")
                    .appendElement("a").attr("href", unsubscribeUrl).text(german ? "Abmelden" : "Unsubscribe");
            document.title(subject);
            document.outputSettings().prettyPrint(false);
            html = document.outerHtml();
        }
        return new Text(language, subject, body + footer, html);
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
