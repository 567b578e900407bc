package io.relata.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the filter inputs of list columns ask the record store for. */
class ColumnFilterTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static FieldDefinition field(String name, FieldType type) {
        return new FieldDefinition(name, LocalizedText.of(name, name), type, false, false, false, false, true, null,
                null, null, List.of(), type == FieldType.REFERENCE ? "account" : null, null, null, SourceLocation.UNKNOWN);
    }

    @Test
    void dropdownsCompareWithTheChosenValueAndAllFiltersNothing() {
        ColumnFilter filter = new ColumnFilter();
        assertThat(filter.filters(field("status", FieldType.CHOICE), BERLIN)).as("all").isEmpty();
        filter.setValue("todo");
        assertThat(filter.filters(field("status", FieldType.CHOICE), BERLIN))
                .containsExactly(new Filter("status", FilterOperator.EQ, "todo"));
        filter.setValue("false");
        assertThat(filter.filters(field("done", FieldType.BOOLEAN), BERLIN)).as("no: false or empty")
                .containsExactly(new Filter("done", FilterOperator.NE, "true"));
        filter.setValue("true");
        assertThat(filter.filters(field("done", FieldType.BOOLEAN), BERLIN))
                .containsExactly(new Filter("done", FilterOperator.EQ, "true"));
        filter.setValue("12");
        assertThat(filter.filters(field("account", FieldType.REFERENCE), BERLIN))
                .containsExactly(new Filter("account", FilterOperator.EQ, "12"));
    }

    @Test
    void aDateRangeIncludesBothDaysAndADateTimeRangeTheirWholeDaysInTheServersZone() {
        ColumnFilter filter = new ColumnFilter();
        filter.setFrom(LocalDate.of(2026, 12, 1));
        filter.setTo(LocalDate.of(2026, 12, 4));
        assertThat(filter.filters(field("birthday", FieldType.DATE), BERLIN)).containsExactly(
                new Filter("birthday", FilterOperator.GE, LocalDate.of(2026, 12, 1)),
                new Filter("birthday", FilterOperator.LE, LocalDate.of(2026, 12, 4)));
        assertThat(filter.filters(field("due_at", FieldType.DATE_TIME), BERLIN)).containsExactly(
                new Filter("due_at", FilterOperator.GE, OffsetDateTime.parse("2026-12-01T00:00+01:00")),
                new Filter("due_at", FilterOperator.LT, OffsetDateTime.parse("2026-12-05T00:00+01:00")));
        filter.setFrom(null);
        assertThat(filter.filters(field("birthday", FieldType.DATE), BERLIN)).as("open start")
                .containsExactly(new Filter("birthday", FilterOperator.LE, LocalDate.of(2026, 12, 4)));
    }

    @Test
    void textContainsAndNumbersEqual() {
        ColumnFilter filter = new ColumnFilter();
        filter.setValue(" Berg ");
        assertThat(filter.filters(field("name", FieldType.TEXT), BERLIN))
                .containsExactly(new Filter("name", FilterOperator.CONTAINS, "Berg"));
        filter.setValue("20");
        assertThat(filter.filters(field("employees", FieldType.INTEGER), BERLIN))
                .containsExactly(new Filter("employees", FilterOperator.EQ, "20"));
        assertThat(ColumnFilter.kindOf(field("notes", FieldType.LONG_TEXT))).isEqualTo(ColumnFilter.Kind.NONE);
    }
}
