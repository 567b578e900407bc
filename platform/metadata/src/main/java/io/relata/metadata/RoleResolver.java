package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.security.RoleDefinition;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Pass 2 for roles: duplicate role names across all metadata directories, and grants on entities and
 * fields that the entities of the same load do not have. Runs after {@link ModelResolver}, so a role may
 * grant on an entity from any metadata directory. Entities whose files failed pass 1 count as existing
 * (their fields are not checked), so a typo in account.yaml does not also make every grant on account fail.
 */
final class RoleResolver {

    /** A role built in pass 1, with the document it came from for positions. */
    record ParsedRole(YamlDocument document, RoleDefinition definition) {
    }

    private RoleResolver() {
    }

    /** The roles by name in load order; problems are added for everything unresolved. */
    static Map<String, RoleDefinition> resolve(List<ParsedRole> parsed, Map<String, EntityDefinition> entities,
                                               Set<String> brokenEntities, Problems problems) {
        Map<String, RoleDefinition> roles = new LinkedHashMap<>();
        Set<String> known = new TreeSet<>(entities.keySet());
        known.addAll(brokenEntities);
        for (ParsedRole role : parsed) {
            String name = role.definition().name();
            RoleDefinition first = roles.putIfAbsent(name, role.definition());
            if (first != null) {
                problems.add(role.document().fileName(), role.document().at(YamlDocument.pointer("name")).value(),
                        ProblemCode.DUPLICATE_ROLE,
                        "Role " + q(name) + " is defined twice: here and in " + first.location() + ".",
                        "remove or rename one of the two definitions; a role name must be unique across all "
                                + "metadata directories.");
            }
            checkGrants(role, entities, known, problems);
        }
        return roles;
    }

    /**
     * Applies the role extensions of later layers, in file order, to the roles they name: each is checked like a
     * role's grants (entities and fields must exist) and replaces the grants it gives. An administrator role takes
     * no grants. Returns the roles with their extended definitions, each still with the document that defines it.
     */
    static List<ParsedRole> extend(List<ParsedRole> roles, List<YamlDocument> extensions,
                                   Map<String, EntityDefinition> entities, Set<String> brokenEntities,
                                   Set<String> brokenRoles, Problems problems) {
        List<ParsedRole> result = new java.util.ArrayList<>(roles);
        Set<String> known = new TreeSet<>(entities.keySet());
        known.addAll(brokenEntities);
        for (YamlDocument extension : extensions) {
            String name = extension.root().path("extends").asText();
            int index = -1;
            for (int i = 0; i < result.size() && index < 0; i++) {
                if (result.get(i).definition().name().equals(name)) {
                    index = i;
                }
            }
            if (index < 0) {
                if (!brokenRoles.contains(name)) {
                    problems.add(extension.fileName(), extension.at(YamlDocument.pointer("extends")).value(),
                            ProblemCode.EXTENDS_UNKNOWN_ROLE, "This file changes the role " + q(name)
                                    + ", which no layer before it defines.",
                            Suggestions.didYouMean(name, result.stream().map(r -> r.definition().name()).toList())
                                    + "name a role of the core or of a plugin, or define the role in roles/" + name + ".yaml.");
                }
                continue;
            }
            ParsedRole base = result.get(index);
            if (base.definition().administrator() && extension.root().has("entities")) {
                problems.add(extension.fileName(), extension.at(YamlDocument.pointer("entities")).entry(),
                        ProblemCode.ADMINISTRATOR_WITH_GRANTS, "The role " + q(name) + " is an administrator role (at "
                                + base.definition().location() + "): it may do everything, so grants would be ignored.",
                        "remove 'entities' from this file.");
                continue;
            }
            int before = problems.all().size();
            checkGrants(new ParsedRole(extension, base.definition()), entities, known, problems);
            if (problems.all().size() == before) {
                result.set(index, new ParsedRole(base.document(), RoleBuilder.extend(base.definition(), extension)));
            }
        }
        return result;
    }

    /** The roles by name in file order, the first of a duplicate name kept (as {@link #resolve} keeps it). */
    static Map<String, RoleDefinition> byName(List<ParsedRole> roles, Map<String, RoleDefinition> resolved) {
        Map<String, RoleDefinition> byName = new LinkedHashMap<>();
        for (ParsedRole role : roles) {
            byName.putIfAbsent(role.definition().name(), role.definition());
        }
        return byName.size() == resolved.size() ? byName : resolved;
    }

    private static void checkGrants(ParsedRole role, Map<String, EntityDefinition> entities, Set<String> known,
                                    Problems problems) {
        YamlDocument document = role.document();
        for (Iterator<Map.Entry<String, JsonNode>> it = document.root().path("entities").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> grant = it.next();
            String entity = grant.getKey();
            if (!known.contains(entity)) {
                problems.add(document.fileName(), document.at(YamlDocument.pointer("entities", entity)).entry(),
                        ProblemCode.UNKNOWN_GRANT_ENTITY,
                        "Role " + q(role.definition().name()) + " grants access to entity " + q(entity)
                                + ", which does not exist.",
                        Suggestions.didYouMean(entity, known) + "use one of: " + String.join(", ", entities.keySet()) + ".");
                continue;
            }
            EntityDefinition definition = entities.get(entity);
            if (definition == null) {
                continue;
            }
            List<String> fieldNames = definition.fields().stream().map(FieldDefinition::name).toList();
            grant.getValue().path("fields").fieldNames().forEachRemaining(field -> {
                if (!fieldNames.contains(field)) {
                    unknownField(document, document.at(YamlDocument.pointer("entities", entity, "fields", field)).entry(),
                            field, entity, fieldNames, problems);
                }
            });
            JsonNode showDerived = grant.getValue().path("showDerived");
            for (int i = 0; i < showDerived.size(); i++) {
                String field = showDerived.get(i).asText();
                if (showDerived.get(i).isTextual() && !fieldNames.contains(field)) {
                    unknownField(document, document.at(YamlDocument.pointer("entities", entity, "showDerived", i)).value(),
                            field, entity, fieldNames, problems);
                }
            }
        }
    }

    private static void unknownField(YamlDocument document, Node at, String field,
                                     String entity, List<String> fieldNames, Problems problems) {
        problems.add(document.fileName(), at, ProblemCode.UNKNOWN_GRANT_FIELD,
                "Field " + q(field) + " in the grant for entity " + q(entity) + " is not a field of that entity.",
                Suggestions.didYouMean(field, fieldNames) + "use one of the fields of " + q(entity) + ": "
                        + String.join(", ", fieldNames) + ".");
    }
}
