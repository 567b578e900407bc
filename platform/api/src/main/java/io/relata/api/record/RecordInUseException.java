package io.relata.api.record;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The record cannot be deleted because other records still point to it through a reference field.
 * Nothing was deleted; change or delete the referencing records first.
 */
public class RecordInUseException extends RecordException {

    /** {@code count} records of {@code entity} point to the record through their field {@code field}. */
    public record Usage(String entity, String field, long count) {
    }

    private final String entity;
    private final long id;
    private final List<Usage> usages;

    public RecordInUseException(String entity, long id, List<Usage> usages) {
        super(message(entity, id, usages));
        this.entity = entity;
        this.id = id;
        this.usages = List.copyOf(usages);
    }

    public String entity() {
        return entity;
    }

    public long id() {
        return id;
    }

    /** Where the record is still used; empty if the database refused without saying where. */
    public List<Usage> usages() {
        return usages;
    }

    private static String message(String entity, long id, List<Usage> usages) {
        if (usages.isEmpty()) {
            return "The " + entity + " " + id + " is still referenced by other records; change or delete those first";
        }
        return "The " + entity + " " + id + " is still referenced by "
                + usages.stream()
                        .map(u -> u.count() + " " + u.entity() + " record" + (u.count() == 1 ? "" : "s")
                                + " (field " + u.field() + ")")
                        .collect(Collectors.joining(", "))
                + "; change or delete those first";
    }
}
