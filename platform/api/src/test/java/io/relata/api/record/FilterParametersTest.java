package io.relata.api.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FilterParametersTest {

    @Test
    void readsFieldOperatorAndValueAndWritesThemBackTheSameWay() {
        List<Filter> filters = FilterParameters.parse(List.of("close_date:ge:2026-12-01", "phase:in:proposal|negotiation",
                "email:notnull", "note:contains:a:b"));

        assertThat(filters).containsExactly(new Filter("close_date", FilterOperator.GE, "2026-12-01"),
                new Filter("phase", FilterOperator.IN, List.of("proposal", "negotiation")),
                new Filter("email", FilterOperator.IS_NOT_NULL, null),
                new Filter("note", FilterOperator.CONTAINS, "a:b"));
        assertThat(filters.stream().map(FilterParameters::format)).containsExactly("close_date:ge:2026-12-01",
                "phase:in:proposal|negotiation", "email:notnull", "note:contains:a:b");
    }

    @Test
    void aFilterWithoutAKnownOperatorOrValueSaysHowToWriteIt() {
        assertThatThrownBy(() -> FilterParameters.parse(List.of("phase=won")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Filter 'phase=won' must be field:operator:value with an operator of: eq ne lt le gt ge "
                        + "contains startswith in null notnull");
        assertThatThrownBy(() -> FilterParameters.parse(List.of("phase:eq")))
                .hasMessage("Filter 'phase:eq' needs a value after the operator");
        assertThat(FilterParameters.parse(null)).isEmpty();
    }
}
