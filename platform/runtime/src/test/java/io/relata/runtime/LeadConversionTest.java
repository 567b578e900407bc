package io.relata.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.record.RecordQuery;
import io.relata.api.security.Actor;
import io.relata.runtime.customer.LeadConversion;
import io.relata.store.JdbcRecordStore;
import io.relata.store.SecuredRecordStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lead conversion on the shipped metadata with the process engine in the write path, on H2 and PostgreSQL: duplicates
 * are found first (a similar account name, the contact's e-mail), linking instead of creating, the lead's history
 * carried over, the lead converted with references to what it became, and all of it undone when any part is refused
 * (the lead's process does not allow converting a lead that is not qualified).
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"h2", "postgresql"})
class LeadConversionTest {


    @Parameter
    String databaseKind;

    private final Actor anna = Actor.user(11, "anna", Set.of("sales"), List.of(1L));

    private TestPlatform platform;
    private MetadataModel model;
    private JdbcRecordStore system;
    private AuditLog audit;
    private LeadConversion conversion;
    private io.relata.runtime.customer.LifecycleReport lifecycle;

    @BeforeEach
    void start() throws Exception {
        // one more role: it reads its own accounts and contacts only
        Path extra = java.nio.file.Files.createTempDirectory("conversion-roles");
        java.nio.file.Files.createDirectories(extra.resolve("roles"));
        java.nio.file.Files.writeString(extra.resolve("roles/own_reader.yaml"), """
                name: own_reader
                label: {de: Nur eigene, en: Own only}
                entities:
                  account: {read: own}
                  contact: {read: own}
                """);
        platform = new TestPlatform(databaseKind, List.of(extra), Clock.systemUTC(), p -> {
            lifecycle = new io.relata.runtime.customer.LifecycleReport(() -> p.model, p.database.dataSource(),
                    Clock.systemUTC());
            return lifecycle.hook();
        });
        model = platform.model;
        system = platform.system;
        audit = platform.audit;
        conversion = new LeadConversion(() -> model, platform.transactions);
    }

    @AfterEach
    void stop() throws Exception {
        platform.close();
    }

    private SecuredRecordStore anna() {
        return new SecuredRecordStore(system, () -> model, () -> anna, audit);
    }

    private Record lead(String status) {
        Record lead = anna().create("lead", Map.of("company", "ACME Versicherung GmbH", "first_name", "Petra",
                "last_name", "Kaiser", "email", "petra@acme.example", "budget", "25000", "status", "new"));
        if (!status.equals("new")) {
            lead = anna().update("lead", lead.id(), lead.version(), Map.of("status", status));
        }
        return lead;
    }

    @Test
    void aQualifiedLeadBecomesAccountContactAndOpportunityWithItsHistory() {
        Record lead = lead("qualified");
        Record call = anna().create("activity", Map.of("subject", "First call", "type", "call", "done", true,
                "regarding", "lead:" + lead.id()));
        LeadConversion.Result result = conversion.convert(anna(), lead.id(), lead.version(),
                new LeadConversion.Choice(null, null, "ACME fleet"));
        assertThat(result.accountCreated()).isTrue();
        assertThat(result.account().get("name")).isEqualTo("ACME Versicherung GmbH");
        assertThat(result.contact().values()).containsEntry("first_name", "Petra").containsEntry("last_name", "Kaiser")
                .containsEntry("email", "petra@acme.example").containsEntry("account", result.account().id());
        assertThat(result.opportunity().values()).containsEntry("name", "ACME fleet")
                .containsEntry("account", result.account().id()).containsEntry("contact", result.contact().id());
        assertThat((BigDecimal) result.opportunity().get("amount")).isEqualByComparingTo("25000");
        assertThat(result.lead().values()).containsEntry("status", "converted")
                .containsEntry("converted_account", result.account().id())
                .containsEntry("converted_contact", result.contact().id())
                .containsEntry("converted_opportunity", result.opportunity().id());
        assertThat(result.activitiesCarried()).isEqualTo(1);
        assertThat(result.account().get("lifecycle_stage")).as("with an opportunity").isEqualTo("opportunity");
        assertThat(result.contact().get("lifecycle_stage")).isEqualTo("opportunity");
        assertThat(system.get("activity", call.id()).values()).as("the call now belongs to the customer too")
                .containsEntry("account", result.account().id()).containsEntry("contact", result.contact().id());
        assertThatThrownBy(() -> conversion.convert(anna(), lead.id(), result.lead().version(),
                new LeadConversion.Choice(null, null, null))).isInstanceOf(RecordException.class)
                .hasMessageContaining("converted already");
    }

    @Test
    void duplicatesAreFoundFirstAndLinkedInsteadOfCreated() {
        Record existing = anna().create("account", Map.of("name", "Acme Versicherung G.m.b.H.", "lifecycle_stage", "customer"));
        anna().create("account", Map.of("name", "Zeta Logistik"));
        Record petra = anna().create("contact", Map.of("last_name", "Kaiser", "first_name", "P.", "email",
                "petra@acme.example", "account", existing.id()));
        Record lead = lead("qualified");
        LeadConversion.Candidates candidates = conversion.candidates(anna(), lead.id());
        assertThat(candidates.accounts()).extracting(Record::id).containsExactly(existing.id());
        assertThat(candidates.contacts()).extracting(Record::id).containsExactly(petra.id());
        long accounts = system.count("account", RecordQuery.all());
        LeadConversion.Result result = conversion.convert(anna(), lead.id(), lead.version(),
                new LeadConversion.Choice(existing.id(), petra.id(), null));
        assertThat(result.accountCreated()).isFalse();
        assertThat(result.contactCreated()).isFalse();
        assertThat(result.opportunity()).isNull();
        assertThat(system.count("account", RecordQuery.all())).isEqualTo(accounts);
        assertThat(result.lead().get("converted_contact")).isEqualTo(petra.id());
        assertThat(result.account().get("lifecycle_stage")).as("a customer stays a customer").isEqualTo("customer");
        assertThat(result.contact().get("lifecycle_stage")).as("moved on from nothing").isEqualTo("sales_qualified");
    }

    @Test
    void aLeadThatIsNotQualifiedIsRefusedAndNothingIsCreated() {
        Record lead = lead("contacted");
        long accounts = system.count("account", RecordQuery.all());
        long contacts = system.count("contact", RecordQuery.all());
        assertThatThrownBy(() -> conversion.convert(anna(), lead.id(), lead.version(),
                new LeadConversion.Choice(null, null, "Deal"))).isInstanceOf(RecordException.class);
        assertThat(system.count("account", RecordQuery.all())).as("the account made before the refusal is undone")
                .isEqualTo(accounts);
        assertThat(system.count("contact", RecordQuery.all())).isEqualTo(contacts);
        assertThat(system.count("opportunity", new RecordQuery(List.of(new Filter("name", FilterOperator.EQ, "Deal")),
                List.of(), null, 1, null))).isZero();
        assertThat(system.get("lead", lead.id()).get("status")).isEqualTo("contacted");
        // and a plain phase move cannot skip the conversion: converted requires the contact it became
        Record qualified = anna().update("lead", lead.id(), lead.version(), Map.of("status", "qualified"));
        assertThatThrownBy(() -> anna().update("lead", lead.id(), qualified.version(), Map.of("status", "converted")))
                .isInstanceOf(RecordException.class);
    }

    @Test
    void everyLifecycleMoveIsCountedWhoeverMadeItAConversionOrAWonOpportunity() {
        Record lead = lead("qualified");
        LeadConversion.Result result = conversion.convert(anna(), lead.id(), lead.version(),
                new LeadConversion.Choice(null, null, "ACME fleet"));
        Record opportunity = result.opportunity();
        // won through the process, which makes the account and contact customers with the platform's rights
        Record won = anna().update("opportunity", opportunity.id(), opportunity.version(), Map.of("phase", "proposal",
                "amount", "1000", "close_date", java.time.LocalDate.now().plusDays(10).toString()));
        won = anna().update("opportunity", won.id(), won.version(), Map.of("phase", "won", "contract_signed_on",
                java.time.LocalDate.now().toString()));
        assertThat(system.get("account", result.account().id()).get("lifecycle_stage")).isEqualTo("customer");
        assertThat(lifecycle.counts(anna(), "account")).containsEntry("customer", 1L).containsEntry("opportunity", 0L);
        java.util.Map<java.time.YearMonth, java.util.Map<String, Long>> moves = lifecycle.movesPerMonth(anna(), "account");
        assertThat(moves).hasSize(12);
        assertThat(moves.get(java.time.YearMonth.now())).containsEntry("opportunity", 1L).containsEntry("customer", 1L);
        assertThat(lifecycle.movesPerMonth(anna(), "contact").get(java.time.YearMonth.now()))
                .containsEntry("customer", 1L);
        // moves of records the viewer may not read are not counted: someone who reads only their own accounts
        Actor ben = Actor.user(12, "ben", Set.of("own_reader"), List.of(2L));
        SecuredRecordStore bens = new SecuredRecordStore(system, () -> model, () -> ben, audit);
        assertThat(lifecycle.movesPerMonth(bens, "account").get(java.time.YearMonth.now())).isEmpty();
        assertThat(lifecycle.entities(new io.relata.store.access.AccessPolicy(model,
                Actor.user(13, "nobody", Set.of(), List.of())))).as("no entity without a role").isEmpty();
    }
}
