package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.dashboard.Condition;
import io.relata.api.dashboard.DashboardDefinition;
import io.relata.api.dashboard.ProcessFigure;
import io.relata.api.dashboard.RecordFigure;
import io.relata.api.dashboard.Widget;
import io.relata.api.model.DateWindow;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.RelativePeriod;
import io.relata.api.record.Aggregate;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Grouping;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code dashboards/<name>.yaml}: widgets over records and processes, checked against the model at file:line:col. */
class DashboardsTest {

    private static final MetadataFile DEAL = new MetadataFile("core/entities/deal.yaml", """
            name: deal
            label: {de: Geschäft, en: Deal}
            pluralLabel: {de: Geschäfte, en: Deals}
            fields:
              name: {type: text, label: {en: Name}, required: true}
              amount: {type: money, label: {en: Amount}}
              close_date: {type: date, label: {en: Close date}}
              notes: {type: long-text, label: {en: Notes}}
              account: {type: text, label: {en: Account}}
              phase:
                type: choice
                label: {en: Phase}
                options:
                  - {value: open, label: {en: Open}}
                  - {value: won, label: {en: Won}}
                  - {value: lost, label: {en: Lost}}
            """);
    private static final MetadataFile FLOW = new MetadataFile("core/processes/deal_flow.yaml", """
            name: deal_flow
            entity: deal
            label: {en: Deals}
            phaseField: phase
            phases:
              - name: open
              - {name: won, outcome: success}
              - {name: lost, outcome: failure}
            transitions:
              - {from: open, to: [won, lost]}
            """);
    private static final MetadataFile SALES = new MetadataFile("core/roles/sales.yaml", """
            name: sales
            label: {de: Vertrieb, en: Sales}
            entities:
              deal: {read: all}
            """);

    private static List<MetadataFile> with(String dashboard) {
        List<MetadataFile> files = new ArrayList<>(List.of(DEAL, FLOW, SALES));
        files.add(new MetadataFile("site/dashboards/sales.yaml", dashboard));
        return files;
    }

    private static List<String> problems(String dashboard) {
        MetadataException e = (MetadataException) org.assertj.core.api.Assertions.catchThrowable(
                () -> new MetadataLoader().load(with(dashboard)));
        assertThat(e).as("the load is refused").isNotNull();
        return e.problems().stream().map(p -> p.line() + ":" + p.column() + " " + p.code() + " " + p.message()).toList();
    }

    @Test
    void widgetsOverRecordsAndProcessesAreBuilt() throws Exception {
        MetadataModel model = new MetadataLoader().load(with("""
                name: sales
                label: {de: Vertrieb, en: Sales}
                roles: [sales]
                widgets:
                  - name: open_amount
                    label: {en: Open}
                    show: kpi
                    entity: deal
                    measure: sum
                    field: amount
                    records: mine
                    where: {phase: open, amount: {gte: 100, lt: 5000}, close_date: {empty: false}}
                    period: {field: close_date, range: this_quarter}
                    compare: previous_period
                  - name: funnel
                    label: {en: Funnel}
                    show: funnel
                    width: 12
                    entity: deal
                    measure: count
                    by: phase
                    where: {phase: [open, won]}
                  - name: won_per_month_and_owner
                    label: {en: Won}
                    show: line
                    entity: deal
                    measure: sum
                    field: amount
                    by: [{field: close_date, per: month}, owner]
                    period: {field: created_at, range: last_12_months}
                  - name: accounts
                    label: {en: Accounts}
                    show: table
                    entity: deal
                    measure: count_distinct
                    field: account
                    by: team
                    top: 5
                  - name: conversion
                    label: {en: Conversion}
                    show: kpi
                    process: deal_flow
                    measure: conversion
                    period: last_90_days
                """));

        DashboardDefinition dashboard = model.dashboard("sales").orElseThrow();
        assertThat(dashboard.isFor(Set.of("sales"))).isTrue();
        assertThat(dashboard.isFor(Set.of("service"))).isFalse();
        assertThat(dashboard.widgets()).extracting(Widget::name, Widget::chart, Widget::width).containsExactly(
                org.assertj.core.groups.Tuple.tuple("open_amount", Widget.Chart.KPI, 3),
                org.assertj.core.groups.Tuple.tuple("funnel", Widget.Chart.FUNNEL, 12),
                org.assertj.core.groups.Tuple.tuple("won_per_month_and_owner", Widget.Chart.LINE, 6),
                org.assertj.core.groups.Tuple.tuple("accounts", Widget.Chart.TABLE, 6),
                org.assertj.core.groups.Tuple.tuple("conversion", Widget.Chart.KPI, 3));
        RecordFigure open = (RecordFigure) dashboard.widgets().get(0).figure();
        assertThat(open.measure()).isEqualTo(new Grouping.Measure(Aggregate.SUM, "amount"));
        assertThat(open.records()).isEqualTo(RecordFigure.Records.MINE);
        assertThat(open.compareWithPrevious()).isTrue();
        assertThat(open.window()).isEqualTo(new DateWindow("close_date", RelativePeriod.THIS_QUARTER));
        assertThat(open.where()).containsExactly(new Condition("phase", FilterOperator.EQ, List.of("open")),
                new Condition("amount", FilterOperator.GE, List.of("100")),
                new Condition("amount", FilterOperator.LT, List.of("5000")),
                new Condition("close_date", FilterOperator.IS_NOT_NULL, List.of()));
        RecordFigure won = (RecordFigure) dashboard.widgets().get(2).figure();
        assertThat(won.by()).containsExactly(new Grouping.Key("close_date", Grouping.Period.MONTH),
                Grouping.Key.of("owner_user"));
        assertThat(((RecordFigure) dashboard.widgets().get(3).figure()).by()).containsExactly(Grouping.Key.of("owner_team"));
        assertThat(((RecordFigure) dashboard.widgets().get(3).figure()).top()).isEqualTo(5);
        assertThat(dashboard.widgets().get(4).figure()).isEqualTo(new ProcessFigure("deal_flow",
                ProcessFigure.Measure.CONVERSION, RelativePeriod.LAST_90_DAYS));
    }

    @Test
    void mistakesOnTheirOwnAreReportedWhereTheyAre() {
        assertThat(problems("""
                name: sales
                label: {en: Sales}
                widgets:
                  - name: a
                    label: {en: A}
                    show: pie
                    entity: deal
                    measure: sum
                  - name: a
                    label: {en: B}
                    show: kpi
                    entity: deal
                    process: deal_flow
                    measure: count
                  - name: c
                    label: {en: C}
                    show: kpi
                    entity: deal
                    measure: count
                    by: phase
                    compare: previous_period
                  - name: d
                    label: {en: D}
                    show: stacked_bar
                    entity: deal
                    measure: count
                    by: phase
                    period: this_month
                  - name: e
                    label: {en: E}
                    show: pie
                    process: deal_flow
                    measure: cycle_time
                    period: this_month
                    where: {phase: won}
                """)).containsExactly(
                "4:5 DASHBOARD_INVALID A pie needs exactly one key in 'by'; the widget 'a' has 0.",
                "8:14 DASHBOARD_INVALID The measure 'sum' of the widget 'a' needs a 'field' to work on.",
                "9:5 DASHBOARD_INVALID The widget 'a' names both an entity and a process.",
                "9:11 DASHBOARD_INVALID The widget name 'a' is used twice in this dashboard.",
                "20:9 DASHBOARD_INVALID A kpi shows one number: the widget 'c' cannot group it by anything.",
                "21:14 DASHBOARD_INVALID The widget 'c' compares with the previous period, which only a kpi with a 'period' does.",
                "27:9 DASHBOARD_INVALID A stacked_bar needs two keys in 'by' (the bars, then the stacks); the widget 'd' has 1.",
                "28:13 DASHBOARD_INVALID The widget 'd' measures records: its period needs the date field it applies to.",
                "31:11 DASHBOARD_INVALID The process figure 'cycle_time' cannot be shown as pie.",
                "35:12 DASHBOARD_INVALID The widget 'e' is a process figure: it takes no 'where'.");
    }

    @Test
    void namesThatDoNotExistOrDoNotFitAreReportedWithTheirFix() {
        List<String> problems = problems("""
                name: sales
                label: {en: Sales}
                roles: [sales, salse]
                widgets:
                  - name: a
                    label: {en: A}
                    show: bar
                    entity: dael
                    measure: count
                    by: phase
                  - name: b
                    label: {en: B}
                    show: table
                    entity: deal
                    measure: sum
                    field: name
                    by: [{field: amount, per: month}, notes]
                    where: {phase: [open, wonn], stage: x}
                  - name: c
                    label: {en: C}
                    show: funnel
                    entity: deal
                    measure: count
                    by: account
                    period: {field: amount, range: this_year}
                  - name: d
                    label: {en: D}
                    show: kpi
                    process: deal_flwo
                    measure: conversion
                    period: this_year
                """);
        assertThat(problems).containsExactly(
                "3:16 DASHBOARD_INVALID There is no role 'salse'.",
                "8:13 DASHBOARD_INVALID There is no entity 'dael' whose records the widget 'a' could measure.",
                "15:14 DASHBOARD_INVALID The measure 'sum' does not work on the field 'name' of type text.",
                "17:18 DASHBOARD_INVALID The field 'amount' is a money, not a date: it has no month.",
                "17:39 DASHBOARD_INVALID Figures cannot be grouped by the long-text field 'notes'.",
                "18:20 DASHBOARD_INVALID The field 'phase' has no option 'wonn'.",
                "18:41 DASHBOARD_INVALID The entity 'deal' has no field 'stage'.",
                "24:9 DASHBOARD_INVALID A funnel shows the options of a choice in their order (the phases of a pipeline); "
                        + "'account' is a text.",
                "25:21 DASHBOARD_INVALID The field 'amount' is a money, not a date: it cannot place records in a period.",
                "29:14 DASHBOARD_INVALID There is no process 'deal_flwo'.");
    }

    @Test
    void theFileNameIsTheDashboardsName() {
        assertThat(problems("""
                name: sale
                label: {en: Sales}
                widgets:
                  - {name: a, label: {en: A}, show: kpi, entity: deal, measure: count}
                """)).containsExactly("1:7 DASHBOARD_NAME_MISMATCH The dashboard is named 'sale' but its file is 'sales.yaml'.");
    }
}
