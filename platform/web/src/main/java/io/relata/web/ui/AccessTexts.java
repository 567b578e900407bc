package io.relata.web.ui;

import io.relata.api.security.FieldAccess;
import io.relata.store.access.AccessExplanation;
import java.util.ArrayList;
import java.util.List;

/**
 * "Why can I see this record?" as lines for people. Hidden fields are not mentioned to users who cannot
 * see them (for them such fields do not exist); administrators get the whole explanation.
 */
public final class AccessTexts {

    private AccessTexts() {
    }

    public static List<String> lines(AccessExplanation explanation, boolean administrator) {
        if (administrator) {
            return List.of(explanation.text().split("\\n"));
        }
        List<String> lines = new ArrayList<>();
        explanation.reasons().forEach(reason -> lines.add(reason.text()));
        if (!explanation.canUpdate()) {
            lines.add("No role lets you change it.");
        }
        if (!explanation.canDelete()) {
            lines.add("No role lets you delete it.");
        }
        explanation.fields().stream().filter(f -> f.access() != FieldAccess.HIDDEN).forEach(f -> lines.add(f.text()));
        return lines;
    }
}
