package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.security.AccessScope;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of one role file that the JSON Schema cannot word well: name versus file name, no grants on
 * an administrator role, update and delete never wider than read. Like {@link EntityChecks} they run on the
 * raw tree even when the schema found problems, and never assume the schema was satisfied.
 */
final class RoleChecks {

    private final YamlDocument document;
    private final Problems problems;

    private RoleChecks(YamlDocument document, Problems problems) {
        this.document = document;
        this.problems = problems;
    }

    static void check(YamlDocument document, Problems problems) {
        new RoleChecks(document, problems).run();
    }

    /** A role extension: its name matches its file, and its grants keep the scope rules of a role's. */
    static void checkExtension(YamlDocument document, Problems problems) {
        new RoleChecks(document, problems).runExtension();
    }

    private void runExtension() {
        JsonNode root = document.root();
        if (!root.isObject()) {
            return;
        }
        JsonNode extended = root.path("extends");
        String expected = document.file().baseName();
        if (extended.isTextual() && !extended.asText().equals(expected)) {
            add(YamlDocument.pointer("extends"), false, ProblemCode.EXTENSION_NAME_MISMATCH,
                    "The file extends the role " + q(extended.asText()) + " but is named " + q(expected) + ".",
                    "set 'extends: " + expected + "' or rename the file to " + q(extended.asText() + ".yaml") + ".");
        }
        root.path("entities").fields().forEachRemaining(grant -> checkScopes(grant.getKey(), grant.getValue()));
    }

    private void run() {
        JsonNode root = document.root();
        if (!root.isObject()) {
            return;
        }
        problems.nameMatchesFile(document, "role", ProblemCode.ROLE_NAME_MISMATCH, "users are given roles by this name");
        JsonNode entities = root.path("entities");
        if (root.path("administrator").asBoolean(false) && root.has("entities")) {
            add(YamlDocument.pointer("entities"), true, ProblemCode.ADMINISTRATOR_WITH_GRANTS,
                    "Role " + q(root.path("name").asText(document.file().baseName())) + " has 'administrator: true' and 'entities'; an administrator "
                            + "may do everything, so its grants would be ignored and are not accepted.",
                    "remove 'entities', or remove 'administrator: true' to make the grants count.");
            return;
        }
        if (entities.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = entities.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> grant = it.next();
                checkScopes(grant.getKey(), grant.getValue());
            }
        }
    }

    /** A record must be visible to be changed or deleted: update and delete at most as wide as read. */
    private void checkScopes(String entity, JsonNode grant) {
        if (!grant.isObject()) {
            return;
        }
        Optional<AccessScope> read = scope(grant, "read");
        if (read.isEmpty()) {
            return;
        }
        for (String operation : new String[] {"update", "delete"}) {
            Optional<AccessScope> scope = scope(grant, operation);
            if (scope.isPresent() && scope.get().compareTo(read.get()) > 0) {
                String readText = "read: " + read.get().yamlName();
                String wide = operation + ": " + scope.get().yamlName();
                add(YamlDocument.pointer("entities", entity, operation), false, ProblemCode.WIDER_THAN_READ,
                        "In the grant for entity " + q(entity) + ", " + q(wide) + " is wider than " + q(readText)
                                + (grant.has("read") ? "" : " (the default)") + ": " + wide + " with " + readText
                                + " cannot work, as a record must be readable to be "
                                + (operation.equals("update") ? "updated" : "deleted") + "; use at most "
                                + read.get().yamlName() + ".",
                        "write '" + operation + ": " + read.get().yamlName() + "' (or narrower), or widen 'read' to "
                                + q(scope.get().yamlName()) + ".");
            }
        }
    }

    /** The scope written for an operation, none if left out, empty if the value is invalid (the schema says so). */
    private static Optional<AccessScope> scope(JsonNode grant, String operation) {
        JsonNode value = grant.path(operation);
        if (value.isMissingNode()) {
            return Optional.of(AccessScope.NONE);
        }
        return value.isTextual() ? AccessScope.fromYamlName(value.asText()) : Optional.empty();
    }

    private void add(String pointer, boolean atKey, ProblemCode code, String message, String fix) {
        YamlDocument.Located located = document.at(pointer);
        problems.add(document.fileName(), atKey ? located.entry() : located.value(), code, message, fix);
    }
}
