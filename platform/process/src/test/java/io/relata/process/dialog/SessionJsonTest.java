package io.relata.process.dialog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionJsonTest {

    @Test
    void answersOfEveryFieldTypeSurviveTheRoundTripAsPlainJson() {
        Map<String, Object> answers = new LinkedHashMap<>();
        answers.put("text", "Quote \" and backslash \\, tab\t, line\nbreak, control \u0001, ümlaut");
        answers.put("count", 42L);
        answers.put("amount", new BigDecimal("12345678901234567890.1234"));
        answers.put("flag", true);
        answers.put("day", LocalDate.of(2025, 3, 31));
        answers.put("at", OffsetDateTime.of(2025, 3, 31, 14, 30, 0, 0, ZoneOffset.UTC));
        answers.put("options", List.of("a", "b"));
        answers.put("nothing", null);

        String json = SessionJson.write(Map.of("answers", answers));
        Map<String, Object> back = SessionJson.readObject(json);

        assertThat(json).contains("\"amount\":12345678901234567890.1234", "\"day\":\"2025-03-31\"",
                "\"at\":\"2025-03-31T14:30:00Z\"", "\\u0001");
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) back.get("answers");
        assertThat(read).containsEntry("text", answers.get("text")).containsEntry("count", 42L)
                .containsEntry("amount", new BigDecimal("12345678901234567890.1234")).containsEntry("flag", true)
                .containsEntry("day", "2025-03-31").containsEntry("at", "2025-03-31T14:30:00Z")
                .containsEntry("options", List.of("a", "b")).containsEntry("nothing", null);
        assertThat(read.keySet()).containsExactlyElementsOf(answers.keySet());
    }

    @Test
    void brokenJsonIsReportedWithItsPosition() {
        assertThatThrownBy(() -> SessionJson.readObject("{\"a\": tru}"))
                .hasMessage("Stored dialog answers are not valid JSON: expected 'true' at character 6");
        assertThatThrownBy(() -> SessionJson.readObject("[1, 2]"))
                .hasMessage("Stored dialog answers are not valid JSON: expected a single JSON object at character 6");
    }
}
