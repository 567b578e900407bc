package io.relata.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void shortNamesStayAsTheyAre() {
        assertThat(Names.table("account")).isEqualTo("rec_account");
        assertThat(Names.uniqueIndex("rec_account", "code")).isEqualTo("ux_rec_account_code");
        assertThat(Names.foreignKey("rec_contact", "account")).isEqualTo("fk_rec_contact_account");
    }

    @Test
    void namesLongerThan63CharactersAreShortenedDeterministicallyWithAHash() {
        String table = Names.table("a_rather_long_entity_name_for_testing");
        String name = Names.index(table, "an_even_longer_field_name_for_testing_limits");

        assertThat(name).hasSize(63).startsWith("ix_rec_a_rather_long_entity_name").matches(".*_[0-9a-f]{8}");
        assertThat(Names.index(table, "an_even_longer_field_name_for_testing_limits")).isEqualTo(name);
        assertThat(Names.index(table, "an_even_longer_field_name_for_testing_limitz")).isNotEqualTo(name);
    }

    @Test
    void quoteRefusesAnythingButLowerCaseIdentifiers() {
        assertThat(Names.quote("rec_account")).isEqualTo("\"rec_account\"");
        assertThatThrownBy(() -> Names.quote("x\"; DROP TABLE y; --")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Not a valid identifier");
        assertThatThrownBy(() -> Names.quote("Name")).isInstanceOf(IllegalArgumentException.class);
    }
}
