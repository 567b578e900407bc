package io.relata.web.api;

import io.relata.store.InvalidValueException;
import io.relata.store.ValueConverter;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/** Reading plain request bodies of the admin and account endpoints, with 400s that name the key. */
final class Bodies {

    private Bodies() {
    }

    static String text(JsonObject body, String key) {
        if (body == null || !(body.get(key) instanceof JsonString value)) {
            throw ApiProblem.badRequest(key, "missing_value", "The body needs \"" + key + "\" as a string");
        }
        return checked(key, value.getString());
    }

    static String optionalText(JsonObject body, String key) {
        return body != null && body.get(key) instanceof JsonString value ? checked(key, value.getString()) : null;
    }

    /** The same rule as for record values: no NUL character, which PostgreSQL cannot store. */
    private static String checked(String key, String value) {
        try {
            return ValueConverter.checkCharacters(value);
        } catch (InvalidValueException e) {
            throw ApiProblem.badRequest(key, e.code(), "\"" + key + "\": " + e.getMessage());
        }
    }

    static boolean flag(JsonObject body, String key, boolean otherwise) {
        JsonValue value = body == null ? null : body.get(key);
        if (value == null) {
            return otherwise;
        }
        if (value.getValueType() != JsonValue.ValueType.TRUE && value.getValueType() != JsonValue.ValueType.FALSE) {
            throw ApiProblem.badRequest(key, "bad_value", "\"" + key + "\" must be true or false");
        }
        return value.getValueType() == JsonValue.ValueType.TRUE;
    }

    /** An optional true/false; anything else than a boolean is a 400 naming the key. */
    static boolean flag(JsonObject body, String key) {
        if (body == null || !body.containsKey(key) || body.isNull(key)) {
            return false;
        }
        JsonValue value = body.get(key);
        if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
            throw ApiProblem.badRequest(key, "bad_value", "\"" + key + "\" must be true or false");
        }
        return value == JsonValue.TRUE;
    }

    static List<String> texts(JsonObject body, String key) {
        List<String> values = new ArrayList<>();
        if (body != null && body.get(key) instanceof JsonArray array) {
            for (JsonValue item : array) {
                if (!(item instanceof JsonString s)) {
                    throw ApiProblem.badRequest(key, "bad_value", "\"" + key + "\" must be a list of strings");
                }
                values.add(checked(key, s.getString()));
            }
        }
        return values;
    }

    static List<Long> ids(JsonObject body, String key) {
        List<Long> values = new ArrayList<>();
        if (body != null && body.get(key) instanceof JsonArray array) {
            for (JsonValue item : array) {
                if (!(item instanceof jakarta.json.JsonNumber n) || !n.isIntegral()) {
                    throw ApiProblem.badRequest(key, "bad_value", "\"" + key + "\" must be a list of ids");
                }
                values.add(n.longValue());
            }
        }
        return values;
    }

    /** Runs a directory call whose IllegalArgumentException is the user's mistake (400), not a server error. */
    static void userInput(Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "bad-request", "Not accepted", e.getMessage(), List.of());
        }
    }
}
