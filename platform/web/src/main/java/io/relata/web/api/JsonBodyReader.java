package io.relata.web.api;

import io.relata.runtime.Platform;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads every JSON request body of the API, in place of the container's reader: only a JSON object is a body,
 * at most {@code CRM_MAX_BODY_BYTES} are read (413 beyond, also without a Content-Length) and objects and
 * arrays nest at most {@link #MAX_DEPTH} deep. Whatever is wrong is a 400/413 problem that says where it is
 * and what to send instead, never a server error.
 */
@Provider
@Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json", "application/*+json"})
public class JsonBodyReader implements MessageBodyReader<JsonObject> {

    /** Bodies of this API nest three levels ({"values": {"tags": [...]}}); far more is an attack or a mistake. */
    static final int MAX_DEPTH = 32;

    @Inject
    Platform platform;

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == JsonObject.class;
    }

    @Override
    public JsonObject readFrom(Class<JsonObject> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                               MultivaluedMap<String, String> headers, InputStream entity) {
        return read(entity, charset(mediaType), maxBytes(platform));
    }

    static long maxBytes(Platform platform) {
        return platform.config().maxBodyBytes();
    }

    /** The body as a JSON object; the problems (400, 413) as {@link ApiProblem}. */
    static JsonObject read(InputStream entity, Charset charset, long maxBytes) {
        PushbackReader text = new PushbackReader(new InputStreamReader(new Limited(entity, maxBytes), charset));
        if (isEmpty(text)) {
            throw notAnObject("The request has no body");
        }
        try (JsonParser parser = JsonMapping.JSON.createParser(text)) {
            JsonParser.Event first = parser.next();
            if (first != JsonParser.Event.START_OBJECT) {
                throw notAnObject("The body is " + describe(first));
            }
            JsonObject object = object(parser, 1);
            if (parser.hasNext()) {
                throw badJson("after the object ends, the body must end too", parser.getLocation());
            }
            return object;
        } catch (JsonParsingException e) {
            throw badJson(e.getMessage(), e.getLocation());
        } catch (jakarta.json.JsonException e) {
            throw new ApiProblem(400, "bad-json", "Malformed JSON", "The request body could not be read as JSON ("
                    + e.getMessage() + "); send a JSON object in UTF-8", List.of());
        }
    }

    /** True if there is nothing but white space; else the reader is where it was. */
    private static boolean isEmpty(PushbackReader text) {
        try {
            int c;
            do {
                c = text.read();
            } while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
            if (c == -1) {
                return true;
            }
            text.unread(c);
            return false;
        } catch (IOException e) {
            throw new ApiProblem(400, "bad-body", "Body not readable", "The request body could not be read: "
                    + e.getMessage(), List.of());
        }
    }

    private static JsonObject object(JsonParser parser, int depth) {
        JsonObjectBuilder object = JsonMapping.JSON.createObjectBuilder();
        while (true) {
            JsonParser.Event event = parser.next();
            if (event == JsonParser.Event.END_OBJECT) {
                return object.build();
            }
            String key = parser.getString(); // the parser allows only a key or the end here
            object.add(key, value(parser, parser.next(), depth));
        }
    }

    private static JsonValue value(JsonParser parser, JsonParser.Event event, int depth) {
        return switch (event) {
            case START_OBJECT -> object(parser, deeper(parser, depth));
            case START_ARRAY -> {
                int inner = deeper(parser, depth);
                JsonArrayBuilder array = JsonMapping.JSON.createArrayBuilder();
                for (JsonParser.Event item = parser.next(); item != JsonParser.Event.END_ARRAY; item = parser.next()) {
                    array.add(value(parser, item, inner));
                }
                yield array.build();
            }
            case VALUE_STRING -> JsonMapping.JSON.createValue(parser.getString());
            // exact, as sent: the record store range-checks numbers against their fields
            case VALUE_NUMBER -> JsonMapping.JSON.createValue(parser.getBigDecimal());
            case VALUE_TRUE -> JsonValue.TRUE;
            case VALUE_FALSE -> JsonValue.FALSE;
            case VALUE_NULL -> JsonValue.NULL;
            default -> throw badJson("unexpected " + event, parser.getLocation());
        };
    }

    private static int deeper(JsonParser parser, int depth) {
        if (depth >= MAX_DEPTH) {
            JsonLocation at = parser.getLocation();
            throw new ApiProblem(400, "too-deep", "JSON nested too deeply", "The body nests objects and arrays more "
                    + "than " + MAX_DEPTH + " levels deep (at line " + at.getLineNumber() + ", column "
                    + at.getColumnNumber() + "); a request of this API needs at most three", List.of());
        }
        return depth + 1;
    }

    private static ApiProblem notAnObject(String what) {
        return new ApiProblem(400, "not-an-object", "The body must be a JSON object", what + "; send a JSON object "
                + "as described for this request, e.g. {\"values\": {\"name\": \"Acme\"}} to create a record, with "
                + "Content-Type: application/json", List.of());
    }

    private static ApiProblem badJson(String message, JsonLocation at) {
        String where = at == null ? "" : " at line " + at.getLineNumber() + ", column " + at.getColumnNumber();
        return new ApiProblem(400, "bad-json", "Malformed JSON", "The request body is not valid JSON" + where + ": "
                + message + ". Check the quotes, commas and brackets there", List.of());
    }

    private static String describe(JsonParser.Event first) {
        return switch (first) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "not an object";
        };
    }

    private static Charset charset(MediaType type) {
        String name = type == null ? null : type.getParameters().get(MediaType.CHARSET_PARAMETER);
        try {
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(415, "unsupported-charset", "Unsupported character set", "The character set '" + name
                    + "' is not known; send JSON in UTF-8", List.of());
        }
    }

    /** Refuses to read past the limit: also a body without Content-Length ends there. */
    private static final class Limited extends FilterInputStream {

        private final long max;
        private long read;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > max) {
                throw BodySizeLimit.tooLarge(max);
            }
        }
    }
}
