package io.relata.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;
import io.relata.metadata.MetadataFiles;
import io.relata.metadata.MetadataLoader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A record walked through the shipped processes by the designer's simulation: the same verdicts as a real write
 * (requirements, closing reasons, guards with their own messages, set-field actions), and nothing written.
 */
class ProcessSimulationTest {

    private static final Path METADATA = Path.of(System.getProperty("relata.metadata.dir", "../../metadata"));

    private Kit kit;
    private MetadataModel model;

    @BeforeEach
    void open() throws Exception {
        model = new MetadataLoader().load(MetadataFiles.fromDirectory(METADATA));
        kit = Kit.open(TestDb.Kind.H2, model);
    }

    @AfterEach
    void close() {
        kit.close();
    }

    private ProcessSimulation simulation(String process) {
        return kit.node.engine.simulation(model, model.process(process).orElseThrow(), Kit.ANNA);
    }

    @Test
    void anOpportunityIsWalkedFromQualificationToWonWithTheGuardsSaying() {
        ProcessSimulation sales = simulation("opportunity_sales");
        ProcessSimulation.Step start = sales.start(Map.of("name", "Fleet renewal"), null);
        assertThat(start.made()).isTrue();
        assertThat(start.record()).containsEntry("phase", "qualification");
        assertThat(start.trial().sets()).containsEntry("probability", 10L);

        Map<String, ProcessSimulation.Option> options = byTarget(sales.options(start.record()));
        assertThat(options).containsOnlyKeys("needs_analysis", "proposal", "lost", "cancelled");
        assertThat(options.get("needs_analysis").trial().allowed()).isTrue();
        assertThat(codes(options.get("proposal").trial().problems())).containsOnly(ErrorCodes.REQUIRED);
        assertThat(fields(options.get("proposal").trial().problems())).contains("amount");
        assertThat(start.record()).containsKey("close_date"); // its default filled it on creation
        assertThat(codes(options.get("lost").trial().problems())).containsExactly(ErrorCodes.REASON_REQUIRED);
        assertThat(options.values()).noneMatch(ProcessSimulation.Option::automatic);

        Map<String, Object> record = new LinkedHashMap<>(start.record());
        record.put("amount", BigDecimal.ZERO);
        record.put("close_date", today().plusDays(30));
        ProcessSimulation.Step refused = sales.move(record, "proposal");
        assertThat(refused.made()).isFalse();
        FieldError guard = refused.trial().problems().get(0);
        assertThat(guard.code()).isEqualTo(ErrorCodes.GUARD);
        assertThat(guard.field()).isEqualTo("amount");
        assertThat(guard.text().in("en")).isEqualTo("A proposal needs an amount");
        assertThat(guard.text().in("de")).isEqualTo("Ein Angebot braucht einen Betrag");

        record.put("amount", new BigDecimal("5000.00"));
        ProcessSimulation.Step proposal = sales.move(record, "proposal");
        assertThat(proposal.made()).isTrue();
        assertThat(proposal.record()).containsEntry("phase", "proposal").containsEntry("probability", 50L);

        ProcessSimulation.Step notSigned = sales.move(proposal.record(), "won");
        assertThat(notSigned.trial().problems()).extracting(FieldError::field).containsExactly("contract_signed_on");

        Map<String, Object> signed = new LinkedHashMap<>(proposal.record());
        signed.put("contract_signed_on", today());
        ProcessSimulation.Step won = sales.move(signed, "won");
        assertThat(won.made()).isTrue();
        assertThat(won.record()).containsEntry("phase", "won").containsEntry("probability", 100L)
                .containsEntry("close_date", today());
    }

    @Test
    void aMoveTheProcessDoesNotHaveIsRefusedNamingTheAllowedOnes() {
        ProcessSimulation sales = simulation("opportunity_sales");
        Map<String, Object> record = sales.start(Map.of("name", "X"), null).record();
        ProcessSimulation.Step step = sales.move(record, "won");
        assertThat(step.made()).isFalse();
        assertThat(step.trial().problems().get(0).code()).isEqualTo(ErrorCodes.PHASE_MOVE);
        assertThat(step.trial().problems().get(0).text().in("en")).contains("Allowed next phases")
                .contains("needs_analysis");
    }

    @Test
    void anAutomaticMoveIsShownWithWhetherItsConditionHolds() {
        ProcessSimulation booking = simulation("meeting_booking");
        Map<String, Object> record = new LinkedHashMap<>(booking.start(
                Map.of("email", "eva@example.com", "name", "Eva"), null).record());
        ProcessSimulation.Option toBooked = byTarget(booking.options(record)).get("booked");
        assertThat(toBooked.automatic()).isTrue();
        assertThat(toBooked.conditionHolds()).isFalse();

        record.put("meeting_at", java.time.OffsetDateTime.parse("2027-01-10T10:00:00Z"));
        record.put("meeting_link", "https://meet.example.com/abc");
        toBooked = byTarget(booking.options(record)).get("booked");
        assertThat(toBooked.conditionHolds()).isTrue();
        assertThat(toBooked.trial().allowed()).isTrue();
    }

    @Test
    void nothingIsWritten() throws Exception {
        ProcessSimulation sales = simulation("opportunity_sales");
        Map<String, Object> record = sales.start(Map.of("name", "Nothing stored"), null).record();
        sales.move(record, "needs_analysis");
        try (var c = kit.db.dataSource().getConnection();
             var rs = c.createStatement().executeQuery("select count(*) from crm_process_case")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    /** "today" of the rules: the kit's clock. */
    private static LocalDate today() {
        return LocalDate.ofInstant(Kit.START, ZoneId.systemDefault());
    }

    private static Map<String, ProcessSimulation.Option> byTarget(List<ProcessSimulation.Option> options) {
        Map<String, ProcessSimulation.Option> byTarget = new LinkedHashMap<>();
        options.forEach(o -> byTarget.put(o.transition().to(), o));
        return byTarget;
    }

    private static List<String> codes(List<FieldError> errors) {
        return errors.stream().map(FieldError::code).toList();
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }
}
