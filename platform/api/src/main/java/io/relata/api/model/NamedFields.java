package io.relata.api.model;

import java.util.AbstractList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * An entity's fields in their order, unmodifiable, that also finds a field by name without a search: the
 * record store and the access policy ask for fields by name for every value of every record they read or write.
 * Equal to any list with the same fields in the same order.
 */
final class NamedFields extends AbstractList<FieldDefinition> implements RandomAccess {

    private final List<FieldDefinition> fields;
    private final Map<String, FieldDefinition> byName;

    private NamedFields(List<FieldDefinition> fields) {
        this.fields = List.copyOf(fields);
        this.byName = new HashMap<>();
        for (FieldDefinition field : this.fields) {
            byName.putIfAbsent(field.name(), field); // the first of a name, as a search in order would find
        }
    }

    static NamedFields of(List<FieldDefinition> fields) {
        return fields instanceof NamedFields named ? named : new NamedFields(fields);
    }

    /** The first field called {@code name}, or null. */
    FieldDefinition named(String name) {
        return byName.get(name);
    }

    @Override
    public FieldDefinition get(int index) {
        return fields.get(index);
    }

    @Override
    public int size() {
        return fields.size();
    }
}
