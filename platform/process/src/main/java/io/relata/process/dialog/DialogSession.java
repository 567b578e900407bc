package io.relata.process.dialog;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One user's run of a dialog on one record, as stored.
 *
 * @param step    the step the user is at, or null when all steps are answered and the summary is due
 * @param path    the steps visited, in order; while not at the summary the last one is {@link #step}
 * @param answers typed values (as {@link io.relata.api.model.FieldType#javaType()}) by field name: the
 *                record's values for the entity fields the dialog asks until the user changes them, and what
 *                the user entered for dialog-only fields; answers of steps left by "back" are kept so going
 *                that way again shows them
 * @param version increases with every change of the session (optimistic locking)
 */
public record DialogSession(long id, String dialog, String entity, long recordId, String username, String step,
                            List<String> path, Map<String, Object> answers, DialogState state,
                            OffsetDateTime startedAt, OffsetDateTime updatedAt, long version) {

    public DialogSession {
        path = List.copyOf(path);
        answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    }

    public boolean atSummary() {
        return step == null;
    }

    /** True unless the user is at the first step. */
    public boolean canGoBack() {
        return atSummary() ? !path.isEmpty() : path.size() > 1;
    }

    /** The steps whose answers count: every visited step except the one the user is still at. */
    public List<String> answeredSteps() {
        return atSummary() ? path : path.subList(0, path.size() - 1);
    }

    public Object answer(String field) {
        return answers.get(field);
    }
}
