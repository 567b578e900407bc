package io.relata.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.stream.JsonParsingException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Outbox payloads and stored dialog answers: typed values as plain JSON and back. */
class ProcessJsonTest {

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

        String json = ProcessJson.write(Map.of("answers", answers));
        Map<String, Object> back = ProcessJson.read(json);

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
        assertThatThrownBy(() -> ProcessJson.read("{\"a\": tru}"))
                .isInstanceOfSatisfying(JsonParsingException.class,
                        e -> assertThat(e.getLocation().getStreamOffset()).isBetween(6L, 10L));
        assertThatThrownBy(() -> ProcessJson.read("[1, 2]")).isInstanceOf(RuntimeException.class);
    }
}
