package io.relata.process.kpi;

import io.relata.process.TestDb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.SourceLocation;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TransitionDefinition;
import io.relata.store.ReadScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Figures against a fixture computed by hand (see the comments at {@link #writeFixture}), on H2 and
 * PostgreSQL. The period is January 2025 in Berlin (UTC+1) in ISO weeks; "now" is 2025-03-01T00:00Z.
 */
class ProcessKpisTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant NOW = Instant.parse("2025-03-01T00:00:00Z");
    private static final KpiPeriod JANUARY_WEEKLY =
            new KpiPeriod(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 2, 1), Granularity.WEEK, BERLIN);

    static final ProcessDefinition SALES = process("opportunity_sales",
            phase("qualification", PhaseOutcome.OPEN),
            phase("proposal", PhaseOutcome.OPEN),
            phase("negotiation", PhaseOutcome.OPEN),
            phase("won", PhaseOutcome.SUCCESS),
            phase("lost", PhaseOutcome.FAILURE),
            phase("cancelled", PhaseOutcome.FAILURE));

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void countsCasesStartedAndEndedPerWeekInThePeriodsZone(TestDb.Kind kind) {
        try (TestDb db = TestDb.open(kind, "Pacific/Chatham")) {
            writeFixture(db);

            ProcessFigures figures = kpis(db).figures(SALES, JANUARY_WEEKLY);

            assertThat(figures.process()).isEqualTo("opportunity_sales");
            assertThat(figures.asOf()).isEqualTo(NOW);
            assertThat(figures.casesStarted()).isEqualTo(8);
            assertThat(figures.casesPerPeriod()).containsExactly(
                    new PeriodCount(day(1, 1), day(1, 6), 2, 1),     // starts 6 (00:30 Berlin), 1; ends 4
                    new PeriodCount(day(1, 6), day(1, 13), 1, 2),    // starts 2; ends 2, 1
                    new PeriodCount(day(1, 13), day(1, 20), 2, 1),   // starts 3, 10; ends 10
                    new PeriodCount(day(1, 20), day(1, 27), 2, 2),   // starts 7, 11; ends 11, 3
                    new PeriodCount(day(1, 27), day(2, 1), 1, 0));   // starts 8 (5 is Feb 1 in Berlin)
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void countsOutcomesAndReasonsOfCasesEndedInThePeriod(TestDb.Kind kind) {
        try (TestDb db = TestDb.open(kind, "Pacific/Chatham")) {
            writeFixture(db);

            Outcomes outcomes = kpis(db).figures(SALES, JANUARY_WEEKLY).outcomes();

            assertThat(outcomes.ended()).isEqualTo(6);
            assertThat(outcomes.byPhase()).containsExactly(
                    new OutcomeCount("won", PhaseOutcome.SUCCESS, 2, 2.0 / 6),
                    new OutcomeCount("lost", PhaseOutcome.FAILURE, 3, 3.0 / 6),
                    new OutcomeCount("cancelled", PhaseOutcome.FAILURE, 1, 1.0 / 6));
            assertThat(outcomes.byReason()).containsExactly(
                    new ReasonCount("won", null, 2, 1.0),
                    new ReasonCount("lost", "too expensive", 2, 2.0 / 3),
                    new ReasonCount("lost", "customer withdrew", 1, 1.0 / 3),
                    new ReasonCount("cancelled", "no budget", 1, 1.0));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void measuresDurationOfEndedCasesAndAgeOfOpenOnes(TestDb.Kind kind) {
        try (TestDb db = TestDb.open(kind, "Pacific/Chatham")) {
            writeFixture(db);

            CaseDurations durations = kpis(db).figures(SALES, JANUARY_WEEKLY).durations();

            // ended in January: 2, 3, 4, 10, 11, 14 days (cases 11, 10, 2, 1, 3, 4)
            assertThat(durations.ended()).isEqualTo(new DurationStats(6, hours(7 * 24 + 8), days(7),
                    hours(12 * 24 + 12), days(2), days(14)));
            // open, started in January: 6 (59d 0h30), 7 (39d 14h), 8 (32d 15h, reopened): 3149.5 h / 3
            assertThat(durations.open()).isEqualTo(new OpenCases(3, hours(1049).plusMinutes(50)));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void followsCasesStartedInThePeriodThroughThePipeline(TestDb.Kind kind) {
        try (TestDb db = TestDb.open(kind, "Pacific/Chatham")) {
            writeFixture(db);

            Conversion conversion = kpis(db).figures(SALES, JANUARY_WEEKLY).conversion();

            assertThat(conversion.phases()).containsExactly(
                    new PhaseConversion("qualification", 8, 6, 0.75),   // 8 (reopened) and 11 (lost) stay behind
                    new PhaseConversion("proposal", 6, 4, 4.0 / 6),     // 2 lost, 6 won only after "now"
                    new PhaseConversion("negotiation", 2, 1, 0.5));
            assertThat(conversion.closed()).isEqualTo(5);
            assertThat(conversion.won()).isEqualTo(2);
            assertThat(conversion.winRate()).isEqualTo(0.4);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void measuresTimeSpentPerStayInEachOpenPhase(TestDb.Kind kind) {
        try (TestDb db = TestDb.open(kind, "Pacific/Chatham")) {
            writeFixture(db);

            List<PhaseTime> times = kpis(db).figures(SALES, JANUARY_WEEKLY).timeInPhase();

            assertThat(times).containsExactly(
                    // stays 0, 1, 1, 1, 2, 2, 2, 10 days
                    new PhaseTime("qualification", new DurationStats(8, hours(2 * 24 + 9), hours(36),
                            hours(4 * 24 + 9).plusMinutes(36), Duration.ZERO, days(10)), 1),
                    // stays 2, 2, 2, 3, 5 days; case 6 still there
                    new PhaseTime("proposal", new DurationStats(5, hours(2 * 24 + 19).plusMinutes(12), days(2),
                            hours(4 * 24 + 4).plusMinutes(48), days(2), days(5)), 1),
                    new PhaseTime("negotiation", new DurationStats(1, days(5), days(5), days(5), days(5), days(5)), 1));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void measuresCycleTimeFromFirstEntryToNextLaterEntry(TestDb.Kind kind) {
        try (TestDb db = TestDb.open(kind, "Pacific/Chatham")) {
            writeFixture(db);

            ProcessFigures figures = kpis(db).figures(SALES, JANUARY_WEEKLY, List.of(
                    new PhasePair("qualification", "proposal"),
                    new PhasePair("proposal", "negotiation"),
                    new PhasePair("negotiation", "cancelled")));

            assertThat(figures.cycleTimes()).containsExactly(
                    // 0 (same instant, case 7), 1, 2, 2, 6 (case 3 via lost), 10 days; cases 8 and 11 never
                    new CycleTime("qualification", "proposal", 8, new DurationStats(6, hours(3 * 24 + 12),
                            days(2), days(8), Duration.ZERO, days(10))),
                    new CycleTime("proposal", "negotiation", 6, new DurationStats(2, hours(2 * 24 + 12),
                            hours(2 * 24 + 12), hours(2 * 24 + 21).plusMinutes(36), days(2), days(3))),
                    new CycleTime("negotiation", "cancelled", 2, DurationStats.NONE));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void defaultCycleTimesRunFromTheFirstPhaseToEachSuccessPhase(TestDb.Kind kind) {
        try (TestDb db = TestDb.open(kind, "Pacific/Chatham")) {
            writeFixture(db);

            ProcessFigures figures = kpis(db).figures(SALES, JANUARY_WEEKLY);

            // cases 10 (3 days, won then corrected to lost), 1 (10), 3 (11); 6 is won only after "now"
            assertThat(figures.cycleTimes()).containsExactly(new CycleTime("qualification", "won", 8,
                    new DurationStats(3, days(8), days(10), hours(10 * 24 + 19).plusMinutes(12), days(3), days(11))));
            assertThat(kpis(db).cycleTime(SALES, JANUARY_WEEKLY, new PhasePair("qualification", "won")))
                    .isEqualTo(figures.cycleTimes().get(0));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void eachFigureAskedForAloneEqualsTheSameFigureOfAll(TestDb.Kind kind) {
        try (TestDb db = TestDb.open(kind, "Pacific/Chatham")) {
            writeFixture(db);
            ProcessFigures all = kpis(db).figures(SALES, JANUARY_WEEKLY);

            assertThat(kpis(db).casesPerPeriod(SALES, JANUARY_WEEKLY)).isEqualTo(all.casesPerPeriod());
            assertThat(kpis(db).outcomes(SALES, JANUARY_WEEKLY)).isEqualTo(all.outcomes());
            assertThat(kpis(db).conversion(SALES, JANUARY_WEEKLY)).isEqualTo(all.conversion());
            assertThat(kpis(db).timeInPhase(SALES, JANUARY_WEEKLY)).isEqualTo(all.timeInPhase());
            assertThat(kpis(db).cycleTimes(SALES, JANUARY_WEEKLY)).isEqualTo(all.cycleTimes());
            Conversion winRate = kpis(db).winRate(SALES, JANUARY_WEEKLY);
            assertThat(winRate.phases()).isEmpty();
            assertThat(List.of(winRate.closed(), winRate.won())).containsExactly(5, 2);
            assertThat(winRate.winRate()).isEqualTo(0.4);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void cutsMonthsInTheGivenZone(TestDb.Kind kind) {
        try (TestDb db = TestDb.open(kind, "Pacific/Chatham")) {
            writeFixture(db);
            LocalDate december = LocalDate.of(2024, 12, 1);
            LocalDate february = LocalDate.of(2025, 2, 1);

            List<PeriodCount> inBerlin = kpis(db).figures(SALES,
                    new KpiPeriod(december, february, Granularity.MONTH, BERLIN)).casesPerPeriod();
            List<PeriodCount> inUtc = kpis(db).figures(SALES,
                    new KpiPeriod(december, february, Granularity.MONTH, ZoneOffset.UTC)).casesPerPeriod();
            List<PeriodCount> inSaoPaulo = kpis(db).figures(SALES,
                    new KpiPeriod(december, february, Granularity.MONTH, ZoneId.of("America/Sao_Paulo")))
                    .casesPerPeriod();

            // case 6 starts 2024-12-31T23:30Z (January in Berlin), case 5 2025-02-01T00:30Z (January in Sao Paulo)
            assertThat(inBerlin).containsExactly(new PeriodCount(december, day(1, 1), 1, 0),
                    new PeriodCount(day(1, 1), february, 8, 6));
            assertThat(inUtc).containsExactly(new PeriodCount(december, day(1, 1), 2, 0),
                    new PeriodCount(day(1, 1), february, 7, 6));
            assertThat(inSaoPaulo).containsExactly(new PeriodCount(december, day(1, 1), 2, 0),
                    new PeriodCount(day(1, 1), february, 8, 6));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void withoutCasesEveryCountIsZeroAndEveryRatioNull(TestDb.Kind kind) {
        try (TestDb db = TestDb.open(kind, "Pacific/Chatham")) {
            writeFixture(db);
            KpiPeriod quietMonth = new KpiPeriod(LocalDate.of(2024, 6, 1), LocalDate.of(2024, 7, 1),
                    Granularity.MONTH, BERLIN);

            ProcessFigures figures = kpis(db).figures(SALES, quietMonth);

            assertThat(figures.casesStarted()).isZero();
            assertThat(figures.casesPerPeriod()).containsExactly(new PeriodCount(quietMonth.from(), quietMonth.to(), 0, 0));
            assertThat(figures.outcomes()).isEqualTo(new Outcomes(0, List.of(
                    new OutcomeCount("won", PhaseOutcome.SUCCESS, 0, null),
                    new OutcomeCount("lost", PhaseOutcome.FAILURE, 0, null),
                    new OutcomeCount("cancelled", PhaseOutcome.FAILURE, 0, null)), List.of()));
            assertThat(figures.durations()).isEqualTo(new CaseDurations(DurationStats.NONE, new OpenCases(0, null)));
            assertThat(figures.conversion()).isEqualTo(new Conversion(List.of(
                    new PhaseConversion("qualification", 0, 0, null),
                    new PhaseConversion("proposal", 0, 0, null),
                    new PhaseConversion("negotiation", 0, 0, null)), 0, 0, null));
            assertThat(figures.timeInPhase()).extracting(PhaseTime::completedStays).containsOnly(DurationStats.NONE);
            assertThat(figures.cycleTimes()).containsExactly(new CycleTime("qualification", "won", 0, DurationStats.NONE));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void ignoresStampsWrittenAfterNow(TestDb.Kind kind) {
        try (TestDb db = TestDb.open(kind, "Pacific/Chatham")) {
            writeFixture(db);
            ProcessKpis afterCase6WasWon = new ProcessKpis(db.dataSource(),
                    Clock.fixed(Instant.parse("2025-03-06T00:00:00Z"), ZoneOffset.UTC), ReadScope::everything);

            Conversion conversion = afterCase6WasWon.figures(SALES, JANUARY_WEEKLY).conversion();

            assertThat(conversion.won()).isEqualTo(3);
            assertThat(conversion.phases().get(1)).isEqualTo(new PhaseConversion("proposal", 6, 5, 5.0 / 6));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void refusesCycleTimeBetweenPhasesTheProcessDoesNotHave(TestDb.Kind kind) {
        try (TestDb db = TestDb.open(kind, "Pacific/Chatham")) {
            assertThatThrownBy(() -> kpis(db).figures(SALES, JANUARY_WEEKLY, List.of(new PhasePair("proposal", "signed"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Process 'opportunity_sales' has no phase 'signed'; its phases are: qualification, "
                            + "proposal, negotiation, won, lost, cancelled");
        }
    }

    /**
     * Cases of opportunity_sales (UTC; Berlin is UTC+1). Ids are written in insertion order; case 1's stamps are
     * written newest first, so only their time orders them.
     * <pre>
     *  1  q 01-02 09:00, proposal 01-04 09:00, negotiation 01-07 09:00, won 01-12 09:00        ended, 10 d
     *  2  q 01-06 10:00, proposal 01-08 10:00, lost 01-10 10:00 "too expensive"                 ended, 4 d
     *  3  q 01-14 08:00, lost 01-15 08:00 "too expensive", proposal 01-20 08:00 (reopened),
     *     won 01-25 08:00                                                                      ended, 11 d
     *  4  q 2024-12-20 12:00, proposal 12-28 12:00, cancelled 01-03 12:00 "no budget"           ended, 14 d (started before)
     *  5  q 2025-01-31T22:30-02:00 = 02-01 00:30Z = February in Berlin                          outside
     *  6  q 2024-12-31 23:30 (January 1 in Berlin), proposal 01-10 23:30, won 03-05 (after now) open
     *  7  q 01-20 10:00, proposal 01-20 10:00 (same instant), negotiation 01-22 10:00           open
     *  8  q 01-27 09:00, cancelled 01-28 09:00 (no reason), q 01-29 09:00 (reopened)            open
     * 10  q 01-16 09:00, proposal 01-17 09:00, won 01-19 09:00, lost 01-19 15:00 "customer withdrew"
     *     (corrected: ended when won, counts as lost)                                          ended, 3 d
     * 11  q 01-21 09:00, lost 01-23 09:00 "too expensive"                                      ended, 2 d
     *  9  another process in the same weeks                                                     ignored
     * </pre>
     */
    static void writeFixture(TestDb db) {
        startCase(db, 1, "opportunity_sales");
        stamp(db, 1, "opportunity_sales", "negotiation", "won", "2025-01-12T09:00:00Z", null);
        stamp(db, 1, "opportunity_sales", "proposal", "negotiation", "2025-01-07T09:00:00Z", null);
        stamp(db, 1, "opportunity_sales", "qualification", "proposal", "2025-01-04T09:00:00Z", null);
        stamp(db, 1, "opportunity_sales", null, "qualification", "2025-01-02T09:00:00Z", null);

        startCase(db, 2, "opportunity_sales");
        stamp(db, 2, "opportunity_sales", null, "qualification", "2025-01-06T10:00:00Z", null);
        stamp(db, 2, "opportunity_sales", "qualification", "proposal", "2025-01-08T10:00:00Z", null);
        stamp(db, 2, "opportunity_sales", "proposal", "lost", "2025-01-10T10:00:00Z", "too expensive");

        startCase(db, 3, "opportunity_sales");
        stamp(db, 3, "opportunity_sales", null, "qualification", "2025-01-14T08:00:00Z", null);
        stamp(db, 3, "opportunity_sales", "qualification", "lost", "2025-01-15T08:00:00Z", "too expensive");
        stamp(db, 3, "opportunity_sales", "lost", "proposal", "2025-01-20T08:00:00Z", null);
        stamp(db, 3, "opportunity_sales", "proposal", "won", "2025-01-25T08:00:00Z", null);

        startCase(db, 4, "opportunity_sales");
        stamp(db, 4, "opportunity_sales", null, "qualification", "2024-12-20T12:00:00Z", null);
        stamp(db, 4, "opportunity_sales", "qualification", "proposal", "2024-12-28T12:00:00Z", null);
        stamp(db, 4, "opportunity_sales", "proposal", "cancelled", "2025-01-03T12:00:00Z", "no budget");

        startCase(db, 5, "opportunity_sales");
        stamp(db, 5, "opportunity_sales", null, "qualification", "2025-01-31T22:30:00-02:00", null);

        startCase(db, 6, "opportunity_sales");
        stamp(db, 6, "opportunity_sales", null, "qualification", "2024-12-31T23:30:00Z", null);
        stamp(db, 6, "opportunity_sales", "qualification", "proposal", "2025-01-10T23:30:00Z", null);
        stamp(db, 6, "opportunity_sales", "proposal", "won", "2025-03-05T00:00:00Z", null);

        startCase(db, 7, "opportunity_sales");
        stamp(db, 7, "opportunity_sales", null, "qualification", "2025-01-20T10:00:00Z", null);
        stamp(db, 7, "opportunity_sales", "qualification", "proposal", "2025-01-20T10:00:00Z", null);
        stamp(db, 7, "opportunity_sales", "proposal", "negotiation", "2025-01-22T10:00:00Z", null);

        startCase(db, 8, "opportunity_sales");
        stamp(db, 8, "opportunity_sales", null, "qualification", "2025-01-27T09:00:00Z", null);
        stamp(db, 8, "opportunity_sales", "qualification", "cancelled", "2025-01-28T09:00:00Z", null);
        stamp(db, 8, "opportunity_sales", "cancelled", "qualification", "2025-01-29T09:00:00Z", null);

        startCase(db, 9, "ticket_support");
        stamp(db, 9, "ticket_support", null, "qualification", "2025-01-05T09:00:00Z", null);
        stamp(db, 9, "ticket_support", "qualification", "won", "2025-01-06T09:00:00Z", "solved");

        startCase(db, 10, "opportunity_sales");
        stamp(db, 10, "opportunity_sales", null, "qualification", "2025-01-16T09:00:00Z", null);
        stamp(db, 10, "opportunity_sales", "qualification", "proposal", "2025-01-17T09:00:00Z", null);
        stamp(db, 10, "opportunity_sales", "proposal", "won", "2025-01-19T09:00:00Z", null);
        stamp(db, 10, "opportunity_sales", "won", "lost", "2025-01-19T15:00:00Z", "customer withdrew");

        startCase(db, 11, "opportunity_sales");
        stamp(db, 11, "opportunity_sales", null, "qualification", "2025-01-21T09:00:00Z", null);
        stamp(db, 11, "opportunity_sales", "qualification", "lost", "2025-01-23T09:00:00Z", "too expensive");
    }

    /** The case row only satisfies the stamps' foreign key: the figures come from the stamps. */
    private static void startCase(TestDb db, long caseId, String process) {
        OffsetDateTime someTime = OffsetDateTime.parse("2025-01-01T00:00:00Z");
        db.execute("INSERT INTO crm_process_case (id, entity, record_id, process, phase, phase_since, started_at, "
                + "outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", caseId, "opportunity", 100 + caseId, process,
                "qualification", someTime, someTime, "open");
    }

    private static void stamp(TestDb db, long caseId, String process, String from, String to, String at,
                              String reason) {
        db.execute("INSERT INTO crm_phase_stamp (case_id, entity, record_id, process, from_phase, to_phase, "
                + "changed_at, username, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", caseId, "opportunity",
                100 + caseId, process, from, to, OffsetDateTime.parse(at), "anna", reason);
    }

    private static ProcessKpis kpis(TestDb db) {
        return new ProcessKpis(db.dataSource(), Clock.fixed(NOW, ZoneOffset.UTC), ReadScope::everything);
    }

    static ProcessDefinition process(String name, PhaseDefinition... phases) {
        return new ProcessDefinition(name, "opportunity", null, "phase", null, List.of(phases),
                List.<TransitionDefinition>of(), SourceLocation.UNKNOWN);
    }

    static PhaseDefinition phase(String name, PhaseOutcome outcome) {
        return new PhaseDefinition(name, null, outcome, List.of(), null, List.of(), List.of(), List.of(),
                SourceLocation.UNKNOWN);
    }

    private static LocalDate day(int month, int dayOfMonth) {
        return LocalDate.of(2025, month, dayOfMonth);
    }

    private static Duration days(long days) {
        return Duration.ofDays(days);
    }

    private static Duration hours(long hours) {
        return Duration.ofHours(hours);
    }
}
