package io.relata.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordPolicyTest {

    private static final PasswordPolicy POLICY = PasswordPolicy.shipped();
    private static final List<String> ANNA = List.of("anna.sales", "Anna Schmidt");

    private static PasswordPolicy.Reason refusal(String password) {
        try {
            POLICY.check(password, ANNA);
            return null;
        } catch (PasswordPolicy.RejectedException e) {
            return e.reason();
        }
    }

    @Test
    void twelveTimesTheSameLetterIsRefusedAsRepetitive() {
        assertThat(refusal("aaaaaaaaaaaa")).isEqualTo(PasswordPolicy.Reason.REPETITIVE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abcabcabcabc", "monkeymonkey", "abcdefghijklm", "9876543210987", "qwertzuiop12",
            "zyxwvutsrqpo", "ababababab12", "1111aaaa1111"})
    void repeatedAndSequentialCharactersAreRefused(String password) {
        assertThat(refusal(password)).isEqualTo(PasswordPolicy.Reason.REPETITIVE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"password1234", "Passwort2024!", "P@ssw0rd1234", "sonnenschein", "Sonnenschein2024",
            "!!Fussball1990", "Fußball1990!!", "1234Schokolade", "iloveyou1234", "administrator"})
    void commonAndBreachedPasswordsAndFrequentWordsWithDigitsAroundAreRefused(String password) {
        assertThat(refusal(password)).isEqualTo(PasswordPolicy.Reason.COMMON);
    }

    @Test
    void thePasswordMayNotContainTheUserNameOrItsParts() {
        assertThat(refusal("my-anna.sales-key")).isEqualTo(PasswordPolicy.Reason.CONTAINS_USER_NAME);
        assertThat(refusal("XSALES-tiger-lamp")).isEqualTo(PasswordPolicy.Reason.CONTAINS_USER_NAME);
        assertThat(refusal("Schmidt likes tea")).isEqualTo(PasswordPolicy.Reason.CONTAINS_USER_NAME);
        assertThat(refusal("Relata is my CRM")).isEqualTo(PasswordPolicy.Reason.CONTAINS_PRODUCT_NAME);
    }

    @Test
    void shortPasswordsAreRefusedWithTheMinimum() {
        assertThatThrownBy(() -> POLICY.check("Kurz-7x!", ANNA))
                .isInstanceOfSatisfying(PasswordPolicy.RejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(PasswordPolicy.Reason.TOO_SHORT);
                    assertThat(e.getMessage()).contains("12 characters");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"Kaffeetasse segelt nach Lima", "violet-otter-carries-17-maps", "8k2!94#x7m1q", "tR7#vqL9$wZe"})
    void longUncommonPasswordsPassWithoutCompositionRules(String password) {
        assertThatCode(() -> POLICY.check(password, ANNA)).doesNotThrowAnyException();
    }

    @Test
    void aRefusalSaysWhyInGermanAndEnglishCitingNist() {
        PasswordPolicy.RejectedException refused = (PasswordPolicy.RejectedException) org.assertj.core.api.Assertions
                .catchThrowable(() -> POLICY.check("password1234", ANNA));
        assertThat(refused.message(Locale.ENGLISH)).contains("common and breached passwords", "NIST SP 800-63B");
        assertThat(refused.message(Locale.GERMAN)).contains("häufiger und geleakter Passwörter", "NIST SP 800-63B");
        assertThat(refused.getMessage()).isEqualTo(refused.message(Locale.ENGLISH));

        PasswordPolicy.RejectedException named = (PasswordPolicy.RejectedException) org.assertj.core.api.Assertions
                .catchThrowable(() -> POLICY.check("anna.sales-forever", ANNA));
        assertThat(named.message(Locale.GERMAN)).contains("Benutzernamen", "„anna.sales“");
        assertThat(named.reason().code()).isEqualTo("password_contains_user_name");
    }

    @Test
    void theShippedListsAreComplete() {
        // the files of the README in src/main/resources/io/relata/identity/passwords
        assertThat(refusal("123qweasdzxc")).isEqualTo(PasswordPolicy.Reason.COMMON);
        assertThat(refusal("1qaz2wsx3edc4rfv")).isEqualTo(PasswordPolicy.Reason.COMMON);
        assertThat(refusal("123456789012")).isEqualTo(PasswordPolicy.Reason.COMMON);
        assertThat(refusal("Willkommen123")).as("a frequent German word").isEqualTo(PasswordPolicy.Reason.COMMON);
    }
}
