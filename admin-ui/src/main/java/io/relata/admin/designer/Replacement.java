package io.relata.admin.designer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataYaml;

/**
 * The site's copy of a process or dialog of the core or a plugin that replaces it ({@code replaces: true} right after
 * the name): the loader puts it in the original's place, and the designer edits it like one of the site's own.
 */
final class Replacement {

    private Replacement() {
    }

    /**
     * @param path           where the copy goes in the site layer
     * @param original       the text of the original's file
     * @param schemaComment the schema line the site's files start with
     */
    static String of(String path, String original, String schemaComment) throws MetadataException {
        ObjectNode tree = MetadataYaml.read(new MetadataFile(path, original));
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        copy.set("name", tree.get("name"));
        copy.put("replaces", true);
        tree.fieldNames().forEachRemaining(key -> {
            if (!key.equals("name") && !key.equals("replaces")) {
                copy.set(key, tree.get(key));
            }
        });
        return MetadataYaml.write(copy, schemaComment);
    }
}
