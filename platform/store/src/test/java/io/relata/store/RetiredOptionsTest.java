package io.relata.store;

import io.relata.api.record.ErrorCodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.ValidationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An option retired with {@code active: false} stays on the records that hold it and is refused as a new value,
 * for choice and multi-choice fields.
 */
class RetiredOptionsTest extends DatabaseTest {

    private JdbcRecordStore store;
    private long heldRetail;

    /** Records made while "retail" and "partner" were offered, then the model that retires them. */
    private JdbcRecordStore retire() {
        JdbcRecordStore before = migratedStore(TestModels.crm());
        heldRetail = before.create("account", Map.of("name", "Shop", "industry", "retail",
                "tags", List.of("vip", "partner"))).id();
        ModelBuilder changed = TestModels.crmBuilder();
        changed.redefine("account", "industry", FieldType.CHOICE).options("tech", "retail", "finance").retired("retail")
                .indexed();
        changed.redefine("account", "tags", FieldType.MULTI_CHOICE).options("vip", "partner", "lead").retired("partner");
        MetadataModel model = changed.build();
        store = new JdbcRecordStore(db.dataSource(), () -> model);
        return store;
    }

    @Test
    void aRetiredOptionIsRefusedOnCreateInGermanAndEnglish() {
        retire();

        assertThatThrownBy(() -> store.create("account", Map.of("name", "New", "industry", "retail")))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.errors()).singleElement().satisfies(error -> {
                        assertThat(error.field()).isEqualTo("industry");
                        assertThat(error.code()).isEqualTo(ErrorCodes.RETIRED_OPTION);
                        assertThat(error.message("en")).isEqualTo("'retail' is no longer offered; choose from: tech, finance");
                        assertThat(error.message("de")).isEqualTo("'retail' wird nicht mehr angeboten; wählen Sie aus: tech, finance");
                    });
                });
        assertThat(store.create("account", Map.of("name", "New", "industry", "tech")).get("industry")).isEqualTo("tech");
    }

    @Test
    void aRecordThatHoldsARetiredOptionKeepsItWhenOtherFieldsChange() {
        retire();

        var updated = store.update("account", heldRetail, 1, Map.of("name", "Shop 2", "industry", "retail"));

        assertThat(updated.get("industry")).isEqualTo("retail");
        assertThat(updated.get("tags")).isEqualTo(List.of("vip", "partner"));
        assertThat(store.update("account", heldRetail, 2, Map.of("employees", 3)).get("industry")).isEqualTo("retail");
    }

    @Test
    void changingAFieldToARetiredOptionIsRefused() {
        retire();
        long other = store.create("account", Map.of("name", "Bank", "industry", "finance")).id();

        assertThatThrownBy(() -> store.update("account", other, 1, Map.of("industry", "retail")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(f -> f.field() + ":" + f.code()).containsExactly("industry:retired_option"));
        assertThat(store.update("account", heldRetail, 1, Map.of("industry", "tech")).get("industry")).isEqualTo("tech");
        assertThatThrownBy(() -> store.update("account", heldRetail, 2, Map.of("industry", "retail")))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void aMultiChoiceKeepsItsRetiredOptionButCannotGainOne() {
        retire();
        long other = store.create("account", Map.of("name", "Bank", "tags", List.of("vip"))).id();

        assertThat(store.update("account", heldRetail, 1, Map.of("tags", List.of("vip", "partner", "lead"))).get("tags"))
                .isEqualTo(List.of("vip", "partner", "lead"));
        assertThatThrownBy(() -> store.update("account", other, 1, Map.of("tags", List.of("vip", "partner"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(f -> f.field() + ":" + f.code() + ":" + f.message("en"))
                        .containsExactly("tags:retired_option:'partner' is no longer offered; choose from: vip, lead"));
    }
}
