package io.relata.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.web.ui.UiText.HelpPart;
import org.junit.jupiter.api.Test;

class HelpPartTest {

    @Test
    void textBetweenBackticksIsCodeAndAnUnpairedBacktickStaysText() {
        assertThat(HelpPart.split("e.g. `language:eq:de` or `opportunities:null`.")).containsExactly(
                new HelpPart("e.g. ", false), new HelpPart("language:eq:de", true), new HelpPart(" or ", false),
                new HelpPart("opportunities:null", true), new HelpPart(".", false));
        assertThat(HelpPart.split("It's `a")).containsExactly(new HelpPart("It's `a", false));
        assertThat(HelpPart.split("plain")).containsExactly(new HelpPart("plain", false));
        assertThat(HelpPart.split("")).isEmpty();
    }
}
