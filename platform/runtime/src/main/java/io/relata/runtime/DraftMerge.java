package io.relata.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataYaml;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Brings one administrator's changed file together with what others published since the draft began: a three-way
 * merge of the YAML trees, key by key. A key only one side changed takes that side's value; a key both changed to
 * different values is a conflict, named by its path ({@code fields/plate/label}); lists are merged as a whole.
 * Rule scripts and files deleted on one side merge only when the other side left them as they were.
 */
final class DraftMerge {

    /** The merged text, or the paths within the file that both sides changed differently. */
    record Result(String content, boolean deleted, List<String> conflicts) {
        boolean merged() {
            return conflicts.isEmpty();
        }
    }

    private DraftMerge() {
    }

    /**
     * @param base    what the file held when the draft first changed it (null: it did not exist)
     * @param current what the file holds now (null: it does not exist)
     * @param draft   what the draft makes of it (null: the draft deletes it)
     */
    static Result merge(String path, String base, String current, String draft) {
        if (Objects.equals(base, current)) {
            return new Result(draft, draft == null, List.of());
        }
        if (Objects.equals(current, draft)) {
            return new Result(current, current == null, List.of());
        }
        if (current == null || draft == null || !path.endsWith(".yaml")) {
            return new Result(null, false, List.of("/"));
        }
        // both created the file: what both wrote alike merges, the rest conflicts key by key
        Optional<ObjectNode> baseTree = base == null ? Optional.of(JsonNodeFactory.instance.objectNode()) : tree(path, base);
        Optional<ObjectNode> currentTree = tree(path, current);
        Optional<ObjectNode> draftTree = tree(path, draft);
        if (baseTree.isEmpty() || currentTree.isEmpty() || draftTree.isEmpty()) {
            return new Result(null, false, List.of("/"));
        }
        List<String> conflicts = new ArrayList<>();
        JsonNode merged = merge(baseTree.get(), currentTree.get(), draftTree.get(), "", conflicts);
        if (!conflicts.isEmpty()) {
            return new Result(null, false, conflicts);
        }
        return new Result(MetadataYaml.write(merged, MetadataYaml.leadingComment(draft)), false, List.of());
    }

    private static JsonNode merge(JsonNode base, JsonNode current, JsonNode draft, String at, List<String> conflicts) {
        if (Objects.equals(current, draft)) {
            return current;
        }
        if (Objects.equals(base, current)) {
            return draft;
        }
        if (Objects.equals(base, draft)) {
            return current;
        }
        if (base == null && current instanceof ObjectNode && draft instanceof ObjectNode) {
            base = JsonNodeFactory.instance.objectNode();
        }
        if (!(current instanceof ObjectNode c) || !(draft instanceof ObjectNode d) || !(base instanceof ObjectNode b)) {
            conflicts.add(at.isEmpty() ? "/" : at);
            return current;
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        Set<String> keys = new LinkedHashSet<>();
        c.fieldNames().forEachRemaining(keys::add);
        d.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            JsonNode value = merge(b.get(key), c.get(key), d.get(key), at + "/" + key, conflicts);
            if (value != null) {
                result.set(key, value);
            }
        }
        return result;
    }

    private static Optional<ObjectNode> tree(String path, String content) {
        try {
            return Optional.of(MetadataYaml.read(new MetadataFile(path, content)));
        } catch (MetadataException e) {
            return Optional.empty();
        }
    }

}
