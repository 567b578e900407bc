package io.relata.runtime.marketing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.ValidationException;
import io.relata.api.security.Actor;
import io.relata.runtime.PlatformClock;
import io.relata.runtime.TestPlatform;
import io.relata.store.SecuredRecordStore;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Preparing a campaign on the shipped metadata, on H2 and PostgreSQL: the target group's conditions pick the people;
 * each becomes a member, queued only with an address, a granted consent for the campaign's purpose and outside the
 * contact pause, otherwise skipped with the reason; a campaign is prepared once; bad conditions change nothing.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"h2", "postgresql"})
class CampaignAudienceTest {

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 7, 9, 0, 0, 0, ZoneOffset.UTC);

    @Parameter
    String databaseKind;

    private MarketingPlatform fixture;
    private TestPlatform platform;
    private Consents consents;
    private CampaignAudience audience;
    private SecuredRecordStore marketing;
    private long newsletter;

    @BeforeEach
    void start() throws Exception {
        Clock clock = new PlatformClock(Clock.fixed(NOW.toInstant(), ZoneOffset.UTC), false);
        // one more role: it prepares campaigns but reads only its own contacts
        java.nio.file.Path extra = java.nio.file.Files.createTempDirectory("campaign-roles");
        java.nio.file.Files.createDirectories(extra.resolve("roles"));
        java.nio.file.Files.writeString(extra.resolve("roles/campaign_assistant.yaml"), """
                name: campaign_assistant
                label: {de: Kampagnenassistenz, en: Campaign assistant}
                entities:
                  contact: {read: own, fields: {email_bounced: hidden}}
                  campaign: {read: all, update: all}
                  target_group: {read: all}
                """);
        fixture = new MarketingPlatform(databaseKind, clock, List.of(extra));
        platform = fixture.platform;
        consents = fixture.consents;
        audience = new CampaignAudience(() -> platform.model, () -> platform.as(Actor.SYSTEM), platform.transactions, consents, clock);
        marketing = platform.as(Actor.user(5, "mia", java.util.Set.of("marketing"), List.of()));
        newsletter = platform.system.create("consent_purpose", Map.of("name", "newsletter", "label_de", "Newsletter",
                "label_en", "Newsletter", "text_de", "Ja", "text_en", "Yes", "double_opt_in", false)).id();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private long contact(String name, String email, String stage, String language, String consent) {
        Map<String, Object> values = new LinkedHashMap<>(Map.of("last_name", name, "lifecycle_stage", stage,
                "language", language));
        if (email != null) {
            values.put("email", email);
        }
        long id = platform.system.create("contact", values).id();
        if (consent != null) {
            Map<String, Object> given = new LinkedHashMap<>(Map.of("email", email.toLowerCase(java.util.Locale.ROOT),
                    "purpose", newsletter, "contact", id, "status", consent, "source", "web_form",
                    "granted_at", NOW.minusDays(30)));
            if (consent.equals("withdrawn")) {
                given.put("withdrawn_at", NOW.minusDays(2));
            }
            platform.system.create("consent", given);
        }
        return id;
    }

    private long campaign(String name, String conditions, int pauseDays) {
        long group = marketing.create("target_group", Map.of("name", "Customers of " + name, "audience", "contact",
                "conditions", conditions)).id();
        return marketing.create("campaign", Map.of("name", name, "channel", "email", "purpose", newsletter,
                "target_group", group, "skip_contacted_within_days", pauseDays)).id();
    }

    private Map<String, String> members(long campaign) {
        Map<String, String> byName = new java.util.TreeMap<>();
        for (Record member : platform.system.query("campaign_member", new RecordQuery(List.of(
                new Filter("campaign", FilterOperator.EQ, campaign)), List.of(), null, 100, null)).records()) {
            String name = String.valueOf(platform.system.find("contact", ((Number) member.get("contact")).longValue())
                    .orElseThrow().get("last_name"));
            byName.put(name, member.get("status") + (member.get("skip_reason") == null ? "" : " " + member.get("skip_reason"))
                    + " " + member.get("language"));
        }
        return byName;
    }

    @Test
    void eachPersonOfTheTargetGroupIsQueuedOrSkippedWithTheReason() {
        contact("Adler", "adler@example.org", "customer", "de", "granted");
        contact("Berg", "Berg@Example.org", "customer", "en", "granted");
        contact("Conrad", "conrad@example.org", "customer", "de", null);
        contact("Dorn", "dorn@example.org", "customer", "de", "withdrawn");
        contact("Ernst", null, "customer", "de", null);
        contact("Fink", "fink@example.org", "lead", "de", "granted");             // not in the target group
        long gruen = contact("Grün", "gruen@example.org", "evangelist", "de", "granted");
        long earlier = campaign("Autumn", "lifecycle_stage:eq:evangelist", 0);
        assertThat(audience.prepare(marketing, earlier).queued()).isEqualTo(1);
        // Grün got the autumn campaign five days ago
        Record sent = platform.system.query("campaign_member", new RecordQuery(List.of(
                new Filter("contact", FilterOperator.EQ, gruen)), List.of(), null, 1, null)).records().get(0);
        platform.system.update("campaign_member", sent.id(), sent.version(), Map.of("status", "sent",
                "sent_at", NOW.minusDays(5)));

        long winter = campaign("Winter", "lifecycle_stage:in:customer|evangelist\nlanguage:notnull", 14);
        assertThat(audience.reachable(marketing, platform.system.get("campaign", winter)))
                .as("counted live: Adler, Berg and Grün have an address and a granted consent; the pause is preparing's")
                .hasValue(3);
        CampaignAudience.Prepared prepared = audience.prepare(marketing, winter);

        assertThat(prepared.queued()).isEqualTo(2);
        assertThat(prepared.skipped()).containsExactly(Map.entry("no_address", 1), Map.entry("no_consent", 2),
                Map.entry("recently_contacted", 1));
        assertThat(members(winter)).containsExactly(
                Map.entry("Adler", "queued de"),
                Map.entry("Berg", "queued en"),
                Map.entry("Conrad", "skipped no_consent de"),
                Map.entry("Dorn", "skipped no_consent de"),
                Map.entry("Ernst", "skipped no_address de"),
                Map.entry("Grün", "skipped recently_contacted de"));
        Record campaign = platform.system.find("campaign", winter).orElseThrow();
        assertThat(campaign.get("status")).isEqualTo("prepared");
        assertThat(((OffsetDateTime) campaign.get("prepared_at")).toInstant()).isEqualTo(NOW.toInstant());

        assertThatThrownBy(() -> audience.prepare(marketing, winter)).as("once")
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("status"));
        assertThat(members(winter)).hasSize(6);
    }

    @Test
    void aCampaignReachesOnlyThePeopleItsPreparerMayReadAndNamesOnlyFieldsTheyMaySee() {
        contact("Adler", "adler@example.org", "customer", "de", "granted"); // owned by nobody
        contact("Berg", "berg@example.org", "customer", "de", "granted");
        Actor assistant = Actor.user(9, "otto", java.util.Set.of("campaign_assistant"), List.of());
        long ownedByOtto = platform.system.create("contact", Map.of("last_name", "Otto's", "email", "ottos@example.org",
                "lifecycle_stage", "customer", "language", "de"), 9L, null).id();
        platform.system.create("consent", Map.of("email", "ottos@example.org", "purpose", newsletter, "contact",
                ownedByOtto, "status", "granted", "source", "phone", "granted_at", NOW.minusDays(1)));
        long bouncedOfOtto = platform.system.create("contact", Map.of("last_name", "Otto's bounced", "email",
                "gone@example.org", "lifecycle_stage", "customer", "language", "de", "email_bounced", true), 9L, null).id();
        platform.system.create("consent", Map.of("email", "gone@example.org", "purpose", newsletter, "contact",
                bouncedOfOtto, "status", "granted", "source", "phone", "granted_at", NOW.minusDays(1)));
        long campaign = campaign("Own only", "lifecycle_stage:eq:customer", 0);

        assertThat(audience.reachable(platform.as(assistant), platform.system.get("campaign", campaign)))
                .as("the assistant may not see bounces: nothing to say").isEmpty();
        CampaignAudience.Prepared prepared = audience.prepare(platform.as(assistant), campaign);

        assertThat(prepared.queued()).as("only the contact the assistant may read").isEqualTo(1);
        assertThat(prepared.skipped()).as("the bounce is hidden from the assistant, not from the platform")
                .containsExactly(Map.entry("bounced", 1));
        assertThat(members(campaign)).containsOnlyKeys("Otto's", "Otto's bounced");

        // the birthday is hidden from marketing: as a condition it is a field that does not exist
        long hidden = campaign("Birthdays", "birthday:notnull", 0);
        assertThatThrownBy(() -> audience.prepare(marketing, hidden)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("birthday");
        assertThat(platform.system.find("campaign", hidden).orElseThrow().get("status")).isEqualTo("planned");
    }

    @Test
    void conditionsThatNameAFieldThePeopleDoNotHaveChangeNothing() {
        contact("Adler", "adler@example.org", "customer", "de", "granted");
        long campaign = campaign("Spring", "lifecycle_stage:eq:customer\nshoe_size:gt:44", 0);

        assertThatThrownBy(() -> audience.prepare(marketing, campaign)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("shoe_size");
        assertThat(platform.system.find("campaign", campaign).orElseThrow().get("status")).isEqualTo("planned");
        assertThat(platform.system.count("campaign_member", RecordQuery.all())).isZero();

        long unchecked = platform.system.create("campaign", Map.of("name", "Without group", "channel", "letter")).id();
        assertThatThrownBy(() -> audience.prepare(marketing, unchecked))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors().get(0).field())
                        .isEqualTo("target_group"));
    }

    @Test
    void aTargetGroupIsTheContactsOfAccountsAListOrThePeopleWithRelatedRecords() {
        long insurer = platform.system.create("account", Map.of("name", "Allianz", "industry", "insurance")).id();
        long bakery = platform.system.create("account", Map.of("name", "Bäckerei Korn", "industry", "retail")).id();
        long adler = contact("Adler", "adler@example.org", "customer", "de", "granted");
        long berg = contact("Berg", "berg@example.org", "customer", "de", "granted");
        long conrad = contact("Conrad", "conrad@example.org", "customer", "en", "granted");
        long dorn = contact("Dorn", "dorn@example.org", "customer", "de", "granted");
        platform.system.update("contact", adler, platform.system.get("contact", adler).version(), Map.of("account", insurer));
        platform.system.update("contact", berg, platform.system.get("contact", berg).version(), Map.of("account", bakery));
        platform.system.create("opportunity", Map.of("name", "Ofen", "account", bakery, "contact", berg, "phase", "qualification"));
        platform.system.create("opportunity", Map.of("name", "Alt", "account", bakery, "contact", dorn, "phase", "lost",
                "loss_reason", "price"));

        // the contacts of insurers: the conditions are on the accounts
        Record ofInsurers = marketing.create("target_group", Map.of("name", "Versicherer", "audience", "account_contacts",
                "conditions", "industry:eq:insurance"));
        assertThat(audience.count(marketing, ofInsurers)).isEqualTo(1);
        assertThat(audience.sample(marketing, ofInsurers, 5)).extracting(Record::id).containsExactly(adler);

        // the people with an open opportunity: marketing reads deals (not their amounts)
        Record withOpenDeal = marketing.create("target_group", Map.of("name", "Offene Chancen", "audience", "contact",
                "conditions", "opportunities.phase:in:qualification|needs_analysis|proposal|negotiation"));
        assertThat(audience.sample(marketing, withOpenDeal, 5)).extracting(Record::id).containsExactly(berg);
        Record withoutDeals = marketing.create("target_group", Map.of("name", "Ohne Chancen", "audience", "contact",
                "conditions", "opportunities:null\nlast_name:in:Adler|Berg|Conrad|Dorn"));
        assertThat(audience.sample(marketing, withoutDeals, 5)).extracting(Record::id).containsExactly(adler, conrad);
        assertThatThrownBy(() -> audience.count(marketing, marketing.create("target_group", Map.of("name", "Beträge",
                "audience", "contact", "conditions", "opportunities.amount:gt:1000"))))
                .as("an amount hidden from marketing is no condition of theirs")
                .isInstanceOf(ValidationException.class).hasMessageContaining("amount");

        // a list: the people put on it, narrowed by the conditions; each person once
        Record list = marketing.create("target_group", Map.of("name", "Messe-Kontakte", "audience", "contact",
                "kind", "static", "conditions", "language:eq:de"));
        for (long person : List.of(adler, conrad, dorn)) {
            marketing.create("target_group_member", Map.of("target_group", list.id(), "contact", person));
        }
        assertThatThrownBy(() -> marketing.create("target_group_member", Map.of("target_group", list.id(), "contact", adler)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors().get(0).field())
                        .isEqualTo("target_group"));
        assertThat(audience.count(marketing, list)).as("Conrad writes English").isEqualTo(2);
        long fair = marketing.create("campaign", Map.of("name", "Messe", "channel", "email", "purpose", newsletter,
                "target_group", list.id())).id();
        assertThat(audience.prepare(marketing, fair).queued()).isEqualTo(2);
        assertThat(members(fair)).containsOnlyKeys("Adler", "Dorn");
        assertThatThrownBy(() -> marketing.create("target_group", Map.of("name", "Firmenliste", "audience",
                "account_contacts", "kind", "static"))).isInstanceOf(ValidationException.class);

        // who attended an event: a response of their campaign membership
        Record attended = platform.system.query("campaign_member", new RecordQuery(List.of(
                new Filter("contact", FilterOperator.EQ, dorn)), List.of(), null, 1, null)).records().get(0);
        marketing.update("campaign_member", attended.id(), attended.version(), Map.of("response", "attended"));
        Record attendees = marketing.create("target_group", Map.of("name", "Teilnehmer", "audience", "contact",
                "conditions", "campaign_memberships.response:eq:attended\ncampaign_memberships.campaign:eq:" + fair));
        assertThat(audience.sample(marketing, attendees, 5)).extracting(Record::id).containsExactly(dorn);
    }
}
