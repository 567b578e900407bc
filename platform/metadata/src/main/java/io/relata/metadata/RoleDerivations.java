package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleKind;
import io.relata.api.security.DerivedField;
import io.relata.api.security.EntityGrant;
import io.relata.api.security.FieldAccess;
import io.relata.api.security.RoleDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * After entities, roles and processes are resolved: which fields each grant must hide because they are computed
 * from fields it hides ({@link DerivedField}). A field is derived from the fields its writers read
 * ({@link FieldReads}): the entity's computed, default and score rules (the score and its reasons field) and the
 * set-field expressions of the entity's processes. A role that cannot see {@code amount} would otherwise read
 * it back from {@code weighted_amount} and {@code probability}; so a written field whose writer reads a hidden
 * field is hidden too, and so on (a field computed from such a field), unless the grant lists it under
 * {@code showDerived}. Where the role file did not already hide such a field, the admin is told
 * ({@link ProblemCode#DERIVED_FIELD_HIDDEN}); a {@code showDerived} entry that changes nothing is
 * {@link ProblemCode#SHOW_DERIVED_NOT_NEEDED}. Both are warnings: the model loads.
 */
final class RoleDerivations {

    /** A rule or expression that writes a field, and what it reads. */
    private record Writer(RuleDefinition rule, String what, FieldReads reads) {
    }

    private final Map<String, EntityDefinition> entities;
    private final Map<String, ProcessDefinition> processes;
    private final Problems problems;
    /** Per entity: each written field and its writers. */
    private final Map<String, Map<String, List<Writer>>> writers = new LinkedHashMap<>();

    private RoleDerivations(Map<String, EntityDefinition> entities, Map<String, ProcessDefinition> processes,
                            Problems problems) {
        this.entities = entities;
        this.processes = processes;
        this.problems = problems;
    }

    /**
     * The roles with the derived fields of their grants filled in; warnings for what the role files do not say.
     *
     * @param parsed the role files, for positions (roles not among them are returned unchanged)
     */
    static Map<String, RoleDefinition> apply(List<RoleResolver.ParsedRole> parsed, Map<String, RoleDefinition> roles,
                                             Map<String, EntityDefinition> entities,
                                             Map<String, ProcessDefinition> processes, Problems problems) {
        RoleDerivations derivations = new RoleDerivations(entities, processes, problems);
        Map<String, YamlDocument> documents = new LinkedHashMap<>();
        parsed.forEach(p -> documents.putIfAbsent(p.definition().name(), p.document()));
        Map<String, RoleDefinition> result = new LinkedHashMap<>();
        roles.forEach((name, role) -> result.put(name, derivations.role(role, documents.get(name))));
        return result;
    }

    private RoleDefinition role(RoleDefinition role, YamlDocument document) {
        if (role.administrator()) {
            return role;
        }
        Map<String, EntityGrant> grants = new LinkedHashMap<>();
        role.grants().forEach((entityName, grant) -> {
            EntityDefinition entity = entities.get(entityName);
            grants.put(entityName, entity == null ? grant : grant(role, grant, entity, document));
        });
        return new RoleDefinition(role.name(), role.label(), role.description(), role.administrator(), grants,
                role.location());
    }

    private EntityGrant grant(RoleDefinition role, EntityGrant grant, EntityDefinition entity, YamlDocument document) {
        Map<String, List<Writer>> written = writers(entity);
        Set<String> hidden = new LinkedHashSet<>();
        entity.fields().stream().map(FieldDefinition::name)
                .filter(field -> grant.declaredAccess(field) == FieldAccess.HIDDEN).forEach(hidden::add);
        Map<String, DerivedField> derived = new LinkedHashMap<>();
        Set<String> needed = new LinkedHashSet<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (FieldDefinition field : entity.fields()) {
                String name = field.name();
                if (hidden.contains(name)) {
                    continue;
                }
                for (Writer writer : written.getOrDefault(name, List.of())) {
                    List<String> from = hidden.stream().filter(writer.reads()::mayRead).toList();
                    if (from.isEmpty()) {
                        continue;
                    }
                    if (grant.showDerived().contains(name)) {
                        needed.add(name);
                        break;
                    }
                    derived.put(name, new DerivedField(name, from, writer.rule().name(), writer.rule().start()));
                    hidden.add(name);
                    changed = true;
                    if (document != null) {
                        warn(role, grant, entity, document, derived.get(name), writer, derived);
                    }
                    break;
                }
            }
        }
        if (document != null) {
            grant.showDerived().stream().filter(f -> !needed.contains(f) && entity.field(f).isPresent())
                    .forEach(f -> notNeeded(role, grant, entity, document, f));
        }
        return grant.withDerived(derived);
    }

    /** The fields of {@code entity} that rules and process expressions write, with their writers in file order. */
    private Map<String, List<Writer>> writers(EntityDefinition entity) {
        return writers.computeIfAbsent(entity.name(), name -> {
            Map<String, List<Writer>> byField = new LinkedHashMap<>();
            for (RuleDefinition rule : entity.rules()) {
                if (rule.kind() == RuleKind.COMPUTED || rule.kind() == RuleKind.DEFAULT || rule.kind() == RuleKind.SCORE) {
                    Writer writer = new Writer(rule, "the " + rule.kind().yamlName() + " rule " + q(rule.name()),
                            FieldReads.of(rule.source()));
                    for (String field : new String[] {rule.field(), rule.reasonsField()}) {
                        if (field != null) {
                            byField.computeIfAbsent(field, f -> new ArrayList<>()).add(writer);
                        }
                    }
                }
            }
            for (ProcessDefinition process : processes.values()) {
                if (!process.entity().equals(name)) {
                    continue;
                }
                for (RuleDefinition rule : ProcessResolver.scripts(process)) {
                    if (rule.kind() == RuleKind.COMPUTED && rule.field() != null) {
                        byField.computeIfAbsent(rule.field(), f -> new ArrayList<>()).add(new Writer(rule,
                                "the set-field expression " + q(rule.name()) + " of process " + q(process.name()),
                                FieldReads.of(rule.source())));
                    }
                }
            }
            return byField;
        });
    }

    private void warn(RoleDefinition role, EntityGrant grant, EntityDefinition entity, YamlDocument document,
                      DerivedField derived, Writer writer, Map<String, DerivedField> derivedSoFar) {
        if (grant.declaredAccess(derived.field()) == FieldAccess.HIDDEN) {
            return;
        }
        String field = derived.field();
        String from = String.join(", ", derived.from().stream().map(Problems::q).toList());
        problems.warn(document.fileName(), position(document, grant, entity.name(), field, roots(derived.from(), derivedSoFar)),
                ProblemCode.DERIVED_FIELD_HIDDEN,
                "Role " + q(role.name()) + " cannot see " + from + " of entity " + q(entity.name()) + ", so it cannot "
                        + "see " + q(field) + " either: " + writer.what() + " (" + derived.location() + ") computes "
                        + q(field) + " from " + (writer.reads().wholeRecord() ? "the whole record" : from)
                        + ", and its value would give " + from + " away.",
                "nothing, if " + q(field) + " should stay hidden (write '" + field + ": hidden' under 'fields' to say "
                        + "so and silence this warning); to show it anyway, add it to the grant's 'showDerived: ["
                        + field + "]'.");
    }

    private void notNeeded(RoleDefinition role, EntityGrant grant, EntityDefinition entity, YamlDocument document,
                           String field) {
        List<String> listed = List.copyOf(grant.showDerived());
        Node at = document.at(YamlDocument.pointer("entities", entity.name(), "showDerived", listed.indexOf(field)))
                .value();
        problems.warn(document.fileName(), at, ProblemCode.SHOW_DERIVED_NOT_NEEDED,
                "Role " + q(role.name()) + " lists " + q(field) + " under 'showDerived', but no rule computes it from "
                        + "a field the role cannot see, so the entry changes nothing.",
                "remove " + q(field) + " from 'showDerived'.");
    }

    /** The fields the role file hides that {@code from} come from (a derived field stands for its own sources). */
    private static List<String> roots(List<String> from, Map<String, DerivedField> derivedFields) {
        Set<String> roots = new LinkedHashSet<>();
        for (String field : from) {
            DerivedField derived = derivedFields.get(field);
            roots.addAll(derived == null ? List.of(field) : roots(derived.from(), derivedFields));
        }
        return List.copyOf(roots);
    }

    /**
     * Where to point: the derived field's own entry under {@code fields} (the role asks to see it), else the entry
     * that hides what it is computed from, else a hiding {@code fieldDefault}, else the grant.
     */
    private static Node position(YamlDocument document, EntityGrant grant, String entity, String field,
                                 List<String> from) {
        List<String> candidates = new ArrayList<>();
        candidates.add(YamlDocument.pointer("entities", entity, "fields", field));
        from.forEach(f -> candidates.add(YamlDocument.pointer("entities", entity, "fields", f)));
        if (grant.fieldDefault() == FieldAccess.HIDDEN) {
            candidates.add(YamlDocument.pointer("entities", entity, "fieldDefault"));
        }
        for (String pointer : candidates) {
            if (document.has(pointer)) {
                return document.at(pointer).entry();
            }
        }
        return document.at(YamlDocument.pointer("entities", entity)).entry();
    }
}
