package io.relata.api.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A path of related lists from a record outwards ({@code contacts.activities}: the activities of the record's
 * contacts), resolved against the entities: each step is a reference (or record-link) of the next entity whose
 * reverse list has that name and that points to the entity of the step before.
 */
public record RelatedPath(String path, List<ReverseReference> steps) {

    public RelatedPath {
        steps = List.copyOf(steps);
    }

    /** The entity whose records the path ends at. */
    public EntityDefinition target() {
        return steps.get(steps.size() - 1).sourceEntity();
    }

    /**
     * Resolves {@code path} from records of {@code entity}; empty if a step names no related list. A record-link
     * step lists records linking to the record itself (its entity and id).
     */
    public static Optional<RelatedPath> resolve(Collection<EntityDefinition> entities, String entity, String path) {
        List<ReverseReference> steps = new ArrayList<>();
        String from = entity;
        for (String name : path.split("\\.", -1)) {
            Optional<ReverseReference> step = list(entities, from, name);
            if (step.isEmpty()) {
                return Optional.empty();
            }
            steps.add(step.get());
            from = step.get().sourceEntity().name();
        }
        return Optional.of(new RelatedPath(path, steps));
    }

    /** The related list {@code name} of records of {@code entity}. */
    public static Optional<ReverseReference> list(Collection<EntityDefinition> entities, String entity, String name) {
        for (EntityDefinition source : entities) {
            for (FieldDefinition field : source.fields()) {
                if (field.reverseList() != null && field.reverseList().name().equals(name) && lists(field, entity)) {
                    return Optional.of(new ReverseReference(source, field));
                }
            }
        }
        return Optional.empty();
    }

    /** The names of the related lists of records of {@code entity}. */
    public static Set<String> listNames(Collection<EntityDefinition> entities, String entity) {
        Set<String> names = new TreeSet<>();
        for (EntityDefinition source : entities) {
            for (FieldDefinition field : source.fields()) {
                if (field.reverseList() != null && lists(field, entity)) {
                    names.add(field.reverseList().name());
                }
            }
        }
        return names;
    }

    /** Whether {@code field} lists records on records of {@code entity}: a reference to it, or any record-link. */
    private static boolean lists(FieldDefinition field, String entity) {
        return field.type() == FieldType.REFERENCE && entity.equals(field.referenceEntity())
                || field.type() == FieldType.RECORD_LINK;
    }
}
