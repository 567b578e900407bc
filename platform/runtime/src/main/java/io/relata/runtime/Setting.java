package io.relata.runtime;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * One setting of the CRM: its system property ({@code crm.db.url}) and environment variable ({@code CRM_DB_URL}),
 * its default, what it means and how its text becomes a value. {@link Settings} lists them all; the README's
 * configuration table is made from that list (a test keeps the two equal).
 *
 * @param property    the system property; the environment variable is its upper-case form with '_' for '.'
 * @param defaultText the default as the README shows it
 * @param meaning     what the setting does, for the README
 * @param parser      turns the given text into a value; an unusable text is reported with {@link #expected}
 * @param expected    the form a value must have, e.g. "a whole number of milliseconds greater than 0, e.g. 2000"
 * @param fallback    the value when the setting is not given, or null where {@link CrmConfig} derives it from
 *                    other settings (then {@link #defaultText} says how)
 * @param <T>         the type of the value
 */
record Setting<T>(String property, String defaultText, String meaning, Function<String, T> parser, String expected,
                  T fallback) {

    /** Where settings come from: system properties first, then the environment. */
    interface Source {
        String systemProperty(String name);

        String environment(String name);

        Source SYSTEM = new Source() {
            @Override
            public String systemProperty(String name) {
                return System.getProperty(name);
            }

            @Override
            public String environment(String name) {
                return System.getenv(name);
            }
        };
    }

    /** {@code CRM_DB_URL} for {@code crm.db.url}. */
    String variable() {
        return property.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The text given for the setting (system property, else environment variable), if any and not blank. */
    Optional<String> text(Source source) {
        String value = source.systemProperty(property);
        if (value == null || value.isBlank()) {
            value = source.environment(variable());
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** The value given, parsed; empty if the setting is not given. */
    Optional<T> given(Source source) {
        return text(source).map(text -> {
            try {
                T value = parser.apply(text);
                if (value == null) {
                    throw new IllegalArgumentException();
                }
                return value;
            } catch (RuntimeException e) {
                throw new InvalidSettingException(this, text);
            }
        });
    }

    /** The value given, or the default. */
    T value(Source source) {
        return given(source).orElse(fallback);
    }

    // ---- parsers ------------------------------------------------------------------------------------------

    static Setting<String> text(String property, String defaultValue, String defaultText, String meaning) {
        return new Setting<>(property, defaultText, meaning, Function.identity(), "any text", defaultValue);
    }

    static Setting<Boolean> flag(String property, boolean defaultValue, String meaning) {
        return new Setting<>(property, "`" + defaultValue + "`", meaning, text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        }, "true or false", defaultValue);
    }

    static Setting<Integer> port(String property, int defaultValue, String meaning) {
        return new Setting<>(property, "`" + defaultValue + "`", meaning, text -> {
            int port = Integer.parseInt(text);
            return port >= 1 && port <= 65_535 ? port : null;
        }, "a port number from 1 to 65535, e.g. " + defaultValue, defaultValue);
    }

    /** A whole number of at least {@code min}, e.g. a limit. */
    static Setting<Integer> count(String property, int defaultValue, int min, String meaning) {
        return new Setting<>(property, "`" + defaultValue + "`", meaning, text -> {
            int count = Integer.parseInt(text);
            return count >= min ? count : null;
        }, "a whole number of at least " + min + ", e.g. " + defaultValue, defaultValue);
    }

    static Setting<Duration> millis(String property, long defaultValue, String meaning) {
        return new Setting<>(property, "`" + defaultValue + "`", meaning, text -> {
            long millis = Long.parseLong(text);
            return millis > 0 ? Duration.ofMillis(millis) : null;
        }, "a whole number of milliseconds greater than 0, e.g. " + defaultValue, Duration.ofMillis(defaultValue));
    }

    static Setting<Long> bytes(String property, long defaultValue, String defaultText, String meaning) {
        return new Setting<>(property, defaultText, meaning, text -> {
            long bytes = Long.parseLong(text);
            return bytes > 0 ? bytes : null;
        }, "a whole number of bytes greater than 0, e.g. " + defaultValue, defaultValue);
    }

    /** Comma-separated addresses; {@code none} for an empty list. */
    static Setting<List<String>> addresses(String property, List<String> defaultValue, String meaning) {
        return new Setting<>(property, "`" + String.join(",", defaultValue) + "`", meaning,
                text -> text.equalsIgnoreCase("none") ? List.of()
                        : Arrays.stream(text.split(",")).map(String::strip).filter(a -> !a.isEmpty()).toList(),
                "IP addresses separated by ',', or none", defaultValue);
    }

    /** Comma-separated file name extensions (lower case, without the dot). */
    static Setting<List<String>> extensions(String property, List<String> defaultValue, String meaning) {
        return new Setting<>(property, "`" + String.join(",", defaultValue) + "`", meaning, text -> {
            List<String> extensions = Arrays.stream(text.split(",")).map(e -> e.strip().toLowerCase(java.util.Locale.ROOT))
                    .map(e -> e.startsWith(".") ? e.substring(1) : e).filter(e -> !e.isEmpty()).toList();
            return extensions.isEmpty() || extensions.stream().anyMatch(e -> !e.matches("[a-z0-9]{1,10}")) ? null : extensions;
        }, "file name extensions separated by ',', e.g. pdf,png,jpg", defaultValue);
    }

    static Setting<Path> path(String property, String defaultValue, String defaultText, String meaning) {
        return new Setting<>(property, defaultText, meaning, Setting::toPath, "a directory path",
                defaultValue == null ? null : Path.of(defaultValue));
    }

    static Setting<List<Path>> paths(String property, String meaning) {
        return new Setting<>(property, "empty", meaning, text -> Arrays.stream(text.split(":"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(Setting::toPath)
                .toList(), "directory paths separated by ':'", List.of());
    }

    static Setting<String> jdbcUrl(String property, String defaultText, String meaning) {
        return new Setting<>(property, defaultText, meaning, text -> text.startsWith("jdbc:") ? text : null,
                "a JDBC URL starting with 'jdbc:', e.g. jdbc:postgresql://127.0.0.1:5432/crm", null);
    }

    static Setting<String> webAddress(String property, String defaultText, String meaning) {
        return new Setting<>(property, defaultText, meaning, text -> {
            URI uri = URI.create(text);
            boolean web = ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
            return web ? (text.endsWith("/") ? text.substring(0, text.length() - 1) : text) : null;
        }, "an http:// or https:// address, e.g. https://crm.example.com", null);
    }

    static Setting<String> oneOf(String property, List<String> values, String meaning) {
        return new Setting<>(property, "`" + values.get(0) + "`", meaning, text -> values.contains(text) ? text : null,
                "one of " + String.join(", ", values), values.get(0));
    }

    private static Path toPath(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
