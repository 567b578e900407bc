package io.relata.metadata;

import static io.relata.metadata.MetadataProblemsTest.entity;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.SourceLocation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A load locates each key of a field, for problems found after it (schema conflicts with stored data), and reads
 * retired options ({@code active: false}).
 */
class FieldKeysTest {

    /** Lines 1–14. */
    private static final String ACCOUNT = """
            name: account
            label: {en: Account}
            pluralLabel: {en: Accounts}
            fields:
              name: {type: text, label: {en: Name}}
              code:
                type: text
                label: {en: Code}
                unique: true
                maxLength: 20
              industry:
                type: choice
                label: {en: Industry}
                options: [{value: tech, label: {en: Tech}}, {value: retail, label: {en: Retail}, active: false}]
            """;
    private static final String FILE = "metadata/entities/account.yaml";

    private static MetadataLoader.Loaded load() throws MetadataException {
        return new MetadataLoader().loadWithWarnings(List.of(entity("account", ACCOUNT)));
    }

    @Test
    void eachKeyOfAFieldIsLocatedAtItsLine() throws MetadataException {
        FieldKeyLocator keys = load().fieldKeys();

        assertThat(keys.locate("account", "code", "unique")).isEqualTo(new SourceLocation(FILE, 9, 5));
        assertThat(keys.locate("account", "code", "maxLength")).isEqualTo(new SourceLocation(FILE, 10, 5));
        assertThat(keys.locate("account", "code", "type")).isEqualTo(new SourceLocation(FILE, 7, 5));
        assertThat(keys.locate("account", "industry", "options")).isEqualTo(new SourceLocation(FILE, 14, 5));
    }

    @Test
    void aKeyThatIsNotWrittenIsLocatedAtItsField() throws MetadataException {
        FieldKeyLocator keys = load().fieldKeys();

        assertThat(keys.locate("account", "name", "maxLength")).isEqualTo(new SourceLocation(FILE, 5, 3));
        assertThat(keys.locate("nothing", "name", "type")).isEqualTo(SourceLocation.UNKNOWN);
    }

    @Test
    void anOptionWithActiveFalseIsRetired() throws MetadataException {
        List<ChoiceOption> options = load().model().entity("account").orElseThrow().field("industry").orElseThrow()
                .options();

        assertThat(options).extracting(ChoiceOption::value, ChoiceOption::active)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("tech", true),
                        org.assertj.core.groups.Tuple.tuple("retail", false));
    }
}
