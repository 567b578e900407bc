package io.relata.metadata;

import io.relata.api.model.SourceLocation;
import java.util.Map;
import java.util.Set;

/**
 * A value of the metadata model written out completely and the same in every JVM: record components by name, maps
 * and sets sorted (the iteration order of {@code Map.of} and {@code Set.of} changes from one JVM to the next), texts
 * quoted. Two models are the same when their texts are; {@link #withoutLocations} compares what they define, not
 * where it is written.
 */
public final class Canonical {

    private final boolean locations;

    private Canonical(boolean locations) {
        this.locations = locations;
    }

    /** The text of a value, source locations included. */
    public static String of(Object value) {
        return new Canonical(true).text(value);
    }

    /** The text of a value with every {@link SourceLocation} left out: the same for a file and its rewritten copy. */
    public static String withoutLocations(Object value) {
        return new Canonical(false).text(value);
    }

    private String text(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof SourceLocation && !locations) {
            out.append('-');
        } else if (value instanceof CharSequence text) {
            out.append('"').append(text.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else if (value instanceof Record record) {
            out.append(record.getClass().getSimpleName()).append('[');
            for (java.lang.reflect.RecordComponent component : record.getClass().getRecordComponents()) {
                out.append(component.getName()).append('=');
                try {
                    write(component.getAccessor().invoke(record), out);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("Cannot read " + component, e);
                }
                out.append(';');
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            map.entrySet().stream().map(e -> text(e.getKey()) + "=" + text(e.getValue())).sorted()
                    .forEach(entry -> out.append(entry).append(';'));
            out.append('}');
        } else if (value instanceof Set<?> set) {
            out.append('{');
            set.stream().map(this::text).sorted().forEach(element -> out.append(element).append(';'));
            out.append('}');
        } else if (value instanceof Iterable<?> list) {
            out.append('[');
            list.forEach(element -> {
                write(element, out);
                out.append(';');
            });
            out.append(']');
        } else if (value instanceof Enum<?> constant) {
            out.append(constant.name());
        } else {
            out.append(value.getClass().getSimpleName()).append(':').append(value);
        }
    }
}
