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
        if (same(current, draft)) {
            return current;
        }
        if (same(base, current)) {
            return draft;
        }
        if (same(base, draft)) {
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
        // the order of keys is meaning too: the side that reordered wins; both reordered differently conflict
        List<String> baseOrder = keys(b);
        List<String> currentOrder = keys(c);
        List<String> draftOrder = keys(d);
        boolean draftReordered = !common(draftOrder, baseOrder).equals(common(baseOrder, draftOrder));
        boolean currentReordered = !common(currentOrder, baseOrder).equals(common(baseOrder, currentOrder));
        if (draftReordered && currentReordered && !common(draftOrder, currentOrder).equals(common(currentOrder, draftOrder))) {
            conflicts.add(at.isEmpty() ? "/" : at);
            return current;
        }
        Set<String> keys = new LinkedHashSet<>();
        (draftReordered ? draftOrder : currentOrder).forEach(keys::add);
        currentOrder.forEach(keys::add);
        draftOrder.forEach(keys::add);
        for (String key : keys) {
            JsonNode value = merge(b.get(key), c.get(key), d.get(key), at + "/" + key, conflicts);
            if (value != null) {
                result.set(key, value);
            }
        }
        return result;
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** The keys of {@code a} that {@code b} has too, in {@code a}'s order. */
    private static List<String> common(List<String> a, List<String> b) {
        return a.stream().filter(b::contains).toList();
    }

    /**
     * Equal including the order of keys: the order of a mapping is meaning (the fields of an entity are its field
     * order), and Jackson's equality ignores it.
     */
    static boolean same(JsonNode a, JsonNode b) {
        if (!Objects.equals(a, b)) {
            return false;
        }
        if (a == null || !a.isContainerNode()) {
            return true;
        }
        if (a.isObject()) {
            List<String> keysA = new ArrayList<>();
            List<String> keysB = new ArrayList<>();
            a.fieldNames().forEachRemaining(keysA::add);
            b.fieldNames().forEachRemaining(keysB::add);
            if (!keysA.equals(keysB)) {
                return false;
            }
            for (String key : keysA) {
                if (!same(a.get(key), b.get(key))) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!same(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static Optional<ObjectNode> tree(String path, String content) {
        try {
            return Optional.of(MetadataYaml.read(new MetadataFile(path, content)));
        } catch (MetadataException e) {
            return Optional.empty();
        }
    }

}
