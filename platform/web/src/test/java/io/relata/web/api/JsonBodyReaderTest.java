package io.relata.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodyReaderTest {

    private static final long LIMIT = 1_000;

    private static JsonObject read(String body) {
        return read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), LIMIT);
    }

    private static JsonObject read(InputStream body, long limit) {
        return JsonBodyReader.read(body, StandardCharsets.UTF_8, limit);
    }

    private static ApiProblem problem(String body) {
        ApiProblem[] caught = new ApiProblem[1];
        assertThatThrownBy(() -> read(body)).isInstanceOfSatisfying(ApiProblem.class, p -> caught[0] = p);
        return caught[0];
    }

    @Test
    void anObjectIsReadWithExactNumbers() {
        JsonObject body = read("{\"values\": {\"name\": \"Ä\", \"amount\": 12.50, \"tags\": [\"a\", null, true]}, \"version\": 3}");

        assertThat(body.getJsonObject("values").getString("name")).isEqualTo("Ä");
        assertThat(body.getJsonObject("values").getJsonNumber("amount").bigDecimalValue()).isEqualByComparingTo("12.50");
        assertThat(body.getJsonObject("values").getJsonArray("tags")).hasSize(3);
        assertThat(body.getInt("version")).isEqualTo(3);
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefusedSayingWhatItIs() {
        for (String[] sample : new String[][] {{"[1, 2]", "an array"}, {"null", "null"}, {"\"text\"", "a string"},
                {"42", "a number"}, {"", "no body"}, {"  \n ", "no body"}}) {
            ApiProblem problem = problem(sample[0]);
            assertThat(problem.status()).as(sample[0]).isEqualTo(400);
            assertThat(problem.type()).isEqualTo("not-an-object");
            assertThat(problem.getMessage()).contains(sample[1], "send a JSON object");
        }
    }

    @Test
    void malformedJsonIsRefusedWithItsPosition() {
        ApiProblem missingColon = problem("{\"values\":\n {\"name\" \"x\"}}");
        assertThat(missingColon.status()).isEqualTo(400);
        assertThat(missingColon.type()).isEqualTo("bad-json");
        assertThat(missingColon.getMessage()).contains("line 2, column");

        assertThat(problem("{\"values\": {}} trailing").getMessage()).contains("not valid JSON at line 1");
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedBeforeTheParserRecursesFurther() {
        String allowed = "{\"a\":".repeat(JsonBodyReader.MAX_DEPTH - 1) + "[1]" + "}".repeat(JsonBodyReader.MAX_DEPTH - 1);
        assertThat(read(new ByteArrayInputStream(allowed.getBytes(StandardCharsets.UTF_8)), 100_000)).isNotNull();

        String deep = "{\"values\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        assertThatThrownBy(() -> read(new ByteArrayInputStream(deep.getBytes(StandardCharsets.UTF_8)), 100_000))
                .isInstanceOfSatisfying(ApiProblem.class, p -> {
                    assertThat(p.status()).isEqualTo(400);
                    assertThat(p.type()).isEqualTo("too-deep");
                    assertThat(p.getMessage()).contains("more than " + JsonBodyReader.MAX_DEPTH + " levels", "line 1, column");
                });
    }

    @Test
    void aBodyOverTheLimitIsCutOffWhileReadingAlsoWithoutALength() {
        byte[] prefix = "{\"values\": {\"name\": \"".getBytes(StandardCharsets.UTF_8);
        // an endless body: only the limit ends the reading
        InputStream endless = new InputStream() {
            private int position;

            @Override
            public int read() {
                return position < prefix.length ? prefix[position++] : 'x';
            }
        };

        assertThatThrownBy(() -> read(endless, LIMIT)).isInstanceOfSatisfying(ApiProblem.class, p -> {
            assertThat(p.status()).isEqualTo(413);
            assertThat(p.getMessage()).contains("larger than " + LIMIT + " bytes", "CRM_MAX_BODY_BYTES");
        });
        assertThat(read("{\"values\": {\"name\": \"" + "x".repeat(900) + "\"}}")).isNotNull();
    }
}
