package io.relata.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every value the converter refuses is refused in German and in English: two different sentences, each naming
 * what to enter, with no placeholder left unfilled. (A refusal without German would show English on a German
 * page; the browser crawl does not type wrong values into every kind of field.)
 */
class RefusalLanguagesTest {

    private static final EntityDefinition ENTITY = new ModelBuilder().entity("deal", "name")
            .field("name", FieldType.TEXT).maxLength(5)
            .field("mail", FieldType.EMAIL)
            .field("phone", FieldType.PHONE)
            .field("site", FieldType.URL)
            .field("stage", FieldType.CHOICE).options("open", "won")
            .field("tags", FieldType.MULTI_CHOICE).options("a", "b")
            .field("count", FieldType.INTEGER).limits(0L, 10L)
            .field("amount", FieldType.DECIMAL).digits(6, 2)
            .field("due", FieldType.DATE).limits(java.time.LocalDate.of(2020, 1, 1), java.time.LocalDate.of(2030, 1, 1))
            .field("at", FieldType.DATE_TIME)
            .field("done", FieldType.BOOLEAN)
            .field("zip", FieldType.TEXT).pattern("[0-9]{5}", "five digits")
            .field("about", FieldType.RECORD_LINK)
            .build().entity("deal").orElseThrow();

    static List<Arguments> refusals() {
        return List.of(
                Arguments.of("name", "too long"), Arguments.of("name", "a\0b"), Arguments.of("name", List.of("x")),
                Arguments.of("mail", "no-address"), Arguments.of("phone", "call me"), Arguments.of("site", "ftp://x"),
                Arguments.of("stage", "lost"), Arguments.of("tags", "a,c"), Arguments.of("tags", "c,d"),
                Arguments.of("tags", Map.of("x", 1)), Arguments.of("count", "1.5"), Arguments.of("count", "99"),
                Arguments.of("count", "-1"), Arguments.of("count", "1e30"), Arguments.of("count", "many"),
                Arguments.of("count", Double.NaN), Arguments.of("count", List.of(1)),
                Arguments.of("amount", "1.234"), Arguments.of("amount", new BigDecimal("12345678")),
                Arguments.of("due", "tomorrow"), Arguments.of("due", "2019-12-31"), Arguments.of("due", "2031-01-01"),
                Arguments.of("at", "noon"), Arguments.of("done", "maybe"), Arguments.of("zip", "1234"),
                Arguments.of("about", "nothing"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("refusals")
    void aRefusedValueIsExplainedInGermanAndInEnglish(String field, Object value) {
        FieldDefinition definition = ENTITY.field(field).orElseThrow();
        InvalidValueException refused = catchThrowableOfType(InvalidValueException.class,
                () -> new ValueConverter().convert(definition, value));
        assertThat(refused).as("%s refuses %s", field, value).isNotNull();
        String german = refused.text().in("de");
        String english = refused.text().in("en");
        assertThat(english).isEqualTo(refused.getMessage()).isNotBlank();
        assertThat(german).isNotBlank().isNotEqualTo(english);
        assertThat(german + english).doesNotContainPattern("\\{[0-9]}");
        assertThat(german).containsAnyOf("Geben Sie", "Entfernen Sie", "Wählen Sie", "ist keine Option",
                "sind keine Optionen");
    }
}
