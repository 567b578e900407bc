package io.relata.process;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;

/**
 * Renders texts with {@code {{placeholders}}} (Mustache) for plain-text mails and to-do subjects. Nothing is
 * HTML-escaped: a name like "Müller & Söhne" stays as it is. Missing values render as nothing. The HTML part of a
 * mail is rendered by {@link #renderHtml}, which escapes the values.
 */
public final class Templates {

    private static final DefaultMustacheFactory FACTORY = new DefaultMustacheFactory() {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** Mustache's own encoding: the values of an HTML text are escaped, so a value is never markup. */
    private static final DefaultMustacheFactory HTML_FACTORY = new DefaultMustacheFactory();

    private Templates() {
    }

    /**
     * Renders an HTML text: the template's own markup stays, every value is HTML-escaped ({@code Müller & <Söhne>}
     * becomes {@code Müller &amp; &lt;Söhne&gt;}).
     *
     * @throws IllegalArgumentException if the text is not a valid template, saying why
     */
    public static String renderHtml(String name, String template, Map<String, ?> context) {
        return render(HTML_FACTORY, name, template, context);
    }

    /**
     * @param name    names the text in error messages (e.g. "template booking_link, body (de)")
     * @param context nested maps; values are rendered as {@link ProcessJson#text}
     * @throws IllegalArgumentException if the text is not a valid template, saying why
     */
    public static String render(String name, String template, Map<String, ?> context) {
        return render(FACTORY, name, template, context);
    }

    private static String render(DefaultMustacheFactory factory, String name, String template, Map<String, ?> context) {
        if (template == null || template.isEmpty()) {
            return "";
        }
        Mustache mustache;
        try {
            mustache = factory.compile(new StringReader(template), name);
        } catch (MustacheException e) {
            throw new IllegalArgumentException(name + " is not a valid template: " + e.getMessage(), e);
        }
        StringWriter out = new StringWriter();
        try {
            mustache.execute(out, context).flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MustacheException e) {
            throw new IllegalArgumentException(name + " could not be rendered: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /** Values as text (dates ISO-8601, lists comma-separated), so templates show them as the API does. */
    public static Map<String, Object> textValues(Map<String, ?> values) {
        Map<String, Object> texts = new java.util.LinkedHashMap<>();
        values.forEach((k, v) -> texts.put(k, v == null ? null : ProcessJson.text(v)));
        return texts;
    }
}
