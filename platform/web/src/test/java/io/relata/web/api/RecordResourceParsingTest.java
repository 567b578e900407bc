package io.relata.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Sort;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordResourceParsingTest {

    @Test
    void filterKeepsColonsInTheValue() {
        assertThat(RecordResource.parseFilters(List.of("website:eq:https://example.org")))
                .containsExactly(new Filter("website", FilterOperator.EQ, "https://example.org"));
    }

    @Test
    void inFilterSplitsValuesAtPipes() {
        assertThat(RecordResource.parseFilters(List.of("phase:in:won|lost")))
                .containsExactly(new Filter("phase", FilterOperator.IN, List.of("won", "lost")));
    }

    @Test
    void nullTestsNeedNoValue() {
        assertThat(RecordResource.parseFilters(List.of("email:null", "city:notnull:")))
                .containsExactly(new Filter("email", FilterOperator.IS_NULL, null), new Filter("city", FilterOperator.IS_NOT_NULL, null));
    }

    @Test
    void unknownOperatorIsABadRequestNamingTheOperators() {
        assertThatThrownBy(() -> RecordResource.parseFilters(List.of("name:like:x")))
                .isInstanceOfSatisfying(ApiProblem.class, p -> {
                    assertThat(p.status()).isEqualTo(400);
                    assertThat(p.getMessage()).contains("name:like:x", "startswith");
                });
    }

    @Test
    void comparisonWithoutValueIsABadRequest() {
        assertThatThrownBy(() -> RecordResource.parseFilters(List.of("amount:gt")))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.getMessage()).contains("needs a value"));
    }

    @Test
    void sortReadsDirectionPrefixes() {
        assertThat(RecordResource.parseSort("-amount, name,+city"))
                .containsExactly(Sort.desc("amount"), Sort.asc("name"), Sort.asc("city"));
        assertThat(RecordResource.parseSort(" ")).isEmpty();
    }
}
