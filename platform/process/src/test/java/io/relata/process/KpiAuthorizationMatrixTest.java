package io.relata.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.MetadataModel;
import io.relata.api.model.SourceLocation;
import io.relata.api.record.Record;
import io.relata.api.record.UnknownEntityException;
import io.relata.api.security.AccessScope;
import io.relata.api.security.Actor;
import io.relata.api.security.EntityGrant;
import io.relata.api.security.FieldAccess;
import io.relata.api.security.RoleDefinition;
import io.relata.process.kpi.Granularity;
import io.relata.process.kpi.KpiPeriod;
import io.relata.process.kpi.ProcessFigures;
import io.relata.process.kpi.ProcessKpis;
import io.relata.process.kpi.ReasonCount;
import io.relata.store.SecuredRecordStore;
import io.relata.store.access.AccessPolicy;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Process figures per role and read scope: every viewer's KPIs count exactly the records they may read, list the
 * closing reasons only where they may see the reason field, and do not exist for someone who may not read the
 * entity or see its phase field. The same four opportunities for everyone, each written by its owner through
 * the store (so the stamps are real): A1 (ann, team 1) lost "too expensive for team A", A2 (amy, team 1) won,
 * B1 (ben, team 2) lost "secret reason of team B", B2 (ben) still open.
 */
class KpiAuthorizationMatrixTest {

    private static final Actor ANN = Actor.user(11, "ann", Set.of("rep"), List.of(1L));
    private static final Actor AMY = Actor.user(12, "amy", Set.of("own_rep"), List.of(1L));
    private static final Actor BEN = Actor.user(21, "ben", Set.of("rep"), List.of(2L));
    private static final Actor SAM = Actor.user(13, "sam", Set.of("service"), List.of(1L));
    private static final Actor PIA = Actor.user(14, "pia", Set.of("no_phase"), List.of(1L));
    private static final Actor TOM = Actor.user(15, "tom", Set.of("support"), List.of(1L));

    private static final String TEAM_A_REASON = "too expensive for team A";
    private static final String TEAM_B_REASON = "secret reason of team B";

    /**
     * What one viewer sees: cases started and ended in March, and the reasons listed per closing phase
     * ("phase: reason" with null for "no reason given"); null figures: the process does not exist for them.
     */
    record Row(Actor viewer, Integer started, Integer ended, List<String> reasons) {
    }

    private static final List<Row> TABLE = List.of(
            //      viewer     started ended reasons
            new Row(Kit.ANNA, 4, 3, List.of("won: null", "lost: " + TEAM_B_REASON, "lost: " + TEAM_A_REASON)),
            new Row(ANN, 2, 2, List.of("won: null", "lost: " + TEAM_A_REASON)),   // team 1
            new Row(AMY, 1, 1, List.of("won: null")),                            // own only: A2
            new Row(BEN, 2, 1, List.of("lost: " + TEAM_B_REASON)),   // team 2
            new Row(SAM, 2, 2, List.of()),                          // team 1, loss_reason hidden: no reasons
            new Row(PIA, null, null, null),                         // reads all, phase field hidden
            new Row(TOM, null, null, null));                        // no grant on opportunity

    private static final KpiPeriod MARCH = new KpiPeriod(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 1),
            Granularity.MONTH, ZoneOffset.UTC);

    private Kit kit;

    @AfterEach
    void close() {
        if (kit != null) {
            kit.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void everyViewerSeesTheFiguresOfTheRecordsTheyMayReadOnly(TestDb.Kind kind) {
        kit = Kit.open(kind, model());
        Map<String, Record> records = writeFixture();

        for (Row row : TABLE) {
            SecuredRecordStore store = kit.node.as(row.viewer());
            ProcessKpis kpis = new ProcessKpis(kit.db.dataSource(), kit.clock, store::readScope);
            String who = row.viewer().username();
            if (row.started() == null) {
                assertThatThrownBy(() -> kpis.figures(kit.model.get().process("sales").orElseThrow(), MARCH))
                        .as(who).isInstanceOf(UnknownEntityException.class);
                assertThat(ProcessCases.visibleTo(kit.model.get().process("sales").orElseThrow(),
                        new AccessPolicy(kit.model.get(), row.viewer()))).as(who).isFalse();
                continue;
            }
            ProcessFigures figures = kpis.figures(kit.model.get().process("sales").orElseThrow(), MARCH);
            assertThat(figures.casesStarted()).as(who + " started").isEqualTo(row.started());
            assertThat(figures.outcomes().ended()).as(who + " ended").isEqualTo(row.ended());
            assertThat(figures.durations().open().count()).as(who + " open")
                    .isEqualTo(row.started() - row.ended());
            assertThat(figures.outcomes().byReason()).as(who + " reasons")
                    .extracting((ReasonCount r) -> r.phase() + ": " + r.reason())
                    .containsExactlyElementsOf(row.reasons());
            assertThat(ProcessCases.visibleTo(kit.model.get().process("sales").orElseThrow(),
                    new AccessPolicy(kit.model.get(), row.viewer()))).as(who).isTrue();
        }

        // the phase history of A1 shows its loss reason to whoever may see the reason field
        Record a1 = records.get("A1");
        assertThat(kit.node.cases.history("opportunity", a1.id(), kit.node.as(ANN).readScope("opportunity")))
                .extracting(ProcessCases.Stamp::reason).containsExactly(null, TEAM_A_REASON);
        assertThat(kit.node.cases.history("opportunity", a1.id(), kit.node.as(SAM).readScope("opportunity")))
                .extracting(ProcessCases.Stamp::reason).containsExactly(null, null);
    }

    /** A1, A2, B1, B2 as the header says, by their owners. */
    private Map<String, Record> writeFixture() {
        Map<String, Record> records = new LinkedHashMap<>();
        SecuredRecordStore ann = kit.node.as(ANN);
        Record a1 = ann.create("opportunity", Map.of("name", "A1"));
        records.put("A1", ann.update("opportunity", a1.id(), a1.version(),
                Map.of("phase", "lost", "loss_reason", TEAM_A_REASON)));
        SecuredRecordStore amy = kit.node.as(AMY);
        Record a2 = amy.create("opportunity", Map.of("name", "A2", "phase", "proposal", "amount", 5000,
                "close_date", "2026-06-30"));
        records.put("A2", amy.update("opportunity", a2.id(), a2.version(), Map.of("phase", "won")));
        SecuredRecordStore ben = kit.node.as(BEN);
        Record b1 = ben.create("opportunity", Map.of("name", "B1"));
        records.put("B1", ben.update("opportunity", b1.id(), b1.version(),
                Map.of("phase", "lost", "loss_reason", TEAM_B_REASON)));
        records.put("B2", ben.create("opportunity", Map.of("name", "B2")));
        return records;
    }

    private static MetadataModel model() {
        MetadataModel sales = SalesModel.model();
        Map<String, RoleDefinition> roles = new LinkedHashMap<>(sales.roles());
        roles.put("rep", role("rep", opportunity(AccessScope.TEAM, Map.of())));
        roles.put("own_rep", role("own_rep", opportunity(AccessScope.OWN, Map.of())));
        roles.put("service", role("service", opportunity(AccessScope.TEAM, Map.of("loss_reason", FieldAccess.HIDDEN))));
        roles.put("no_phase", role("no_phase", opportunity(AccessScope.ALL, Map.of("phase", FieldAccess.HIDDEN))));
        roles.put("support", role("support", new EntityGrant("ticket", true, AccessScope.ALL, AccessScope.ALL,
                AccessScope.NONE, false, FieldAccess.EDITABLE, Map.of(), SourceLocation.UNKNOWN)));
        return new MetadataModel(sales.entities(), roles, sales.processes(), sales.dialogs(), sales.templates(),
                sales.revision(), sales.loadedAt());
    }

    private static EntityGrant opportunity(AccessScope read, Map<String, FieldAccess> fields) {
        return new EntityGrant("opportunity", true, read, AccessScope.OWN, AccessScope.NONE, false,
                FieldAccess.EDITABLE, fields, SourceLocation.UNKNOWN);
    }

    private static RoleDefinition role(String name, EntityGrant grant) {
        return new RoleDefinition(name, Models.en(name), null, false, Map.of(grant.entity(), grant),
                SourceLocation.UNKNOWN);
    }
}
