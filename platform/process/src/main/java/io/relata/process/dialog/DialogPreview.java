package io.relata.process.dialog;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.DialogField;
import io.relata.api.process.DialogFinish;
import io.relata.api.process.DialogStep;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;
import io.relata.api.record.Record;
import io.relata.api.security.Actor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dialog run for the designer's preview ({@link DialogRunner#preview}): no session is stored and nothing is written.
 * Each step is judged exactly as a user's would be (required fields, the entity's rules, the step's validation,
 * branches); the finish says what it would write. The state (path and answers) is plain data: a page keeps it and
 * {@link #restore}s it into a fresh preview on its next request.
 */
public final class DialogPreview {

    private final DialogRunner runner;
    private final MetadataModel model;
    private final DialogDefinition definition;
    private final EntityDefinition entity;
    private final Record record;
    private final Actor actor;
    private List<String> path = new ArrayList<>();
    private Map<String, Object> answers = new LinkedHashMap<>();
    /** Null while a step is due; else the summary is. */
    private String step;

    DialogPreview(DialogRunner runner, MetadataModel model, DialogDefinition definition, EntityDefinition entity,
                  Record record, Actor actor) {
        this.runner = runner;
        this.model = model;
        this.definition = definition;
        this.entity = entity;
        this.record = record;
        this.actor = actor;
        if (definition.steps().isEmpty()) {
            throw DialogException.brokenDefinition(definition, "The dialog '" + definition.name() + "' has no steps");
        }
        this.step = definition.firstStep().name();
        path.add(step);
        for (DialogField field : DialogRunner.fields(definition).values()) {
            answers.put(field.name(), field.recordField() ? record.get(field.name()) : null);
        }
    }

    /**
     * Continues a preview a page kept: the steps visited and the answers. A path that no longer fits the dialog (it
     * was edited since) starts over.
     *
     * @param atSummary whether all steps of the path are answered
     */
    public DialogPreview restore(List<String> visited, Map<String, Object> kept, boolean atSummary) {
        if (visited.isEmpty() || !visited.stream().allMatch(s -> definition.step(s).isPresent())) {
            return this;
        }
        path = new ArrayList<>(visited);
        answers.putAll(kept);
        step = atSummary ? null : visited.get(visited.size() - 1);
        return this;
    }

    public DialogDefinition definition() {
        return definition;
    }

    public Record record() {
        return record;
    }

    /** The step due, or null when the summary is. */
    public String step() {
        return step;
    }

    public boolean atSummary() {
        return step == null;
    }

    public List<String> path() {
        return List.copyOf(path);
    }

    /** The answers so far (typed), by field name. */
    public Map<String, Object> answers() {
        return java.util.Collections.unmodifiableMap(answers);
    }

    private DialogSession session() {
        return new DialogSession(0, definition.name(), entity.name(), record.id(), actor.username(), step, path,
                answers, DialogState.OPEN, record.updatedAt(), record.updatedAt(), 0);
    }

    /**
     * Answers the step due with {@code raw} (values as a form sends them): refused with the errors a user would
     * read, or on to the next step or the summary.
     */
    public List<FieldError> submit(Map<String, Object> raw) {
        if (step == null) {
            return List.of();
        }
        DialogStep current = definition.step(step).orElseThrow();
        DialogRunner.Judged judged = runner.judge(definition, entity, record, session(), current, raw, actor);
        if (!judged.errors().isEmpty()) {
            return judged.errors();
        }
        answers.putAll(judged.values());
        String next = judged.next();
        if (next != null && path.contains(next)) {
            return List.of(new FieldError(null, ErrorCodes.RULE, LocalizedText.format("Der Dialog führt vom Schritt"
                    + " '{0}' zurück zum schon beantworteten Schritt '{1}'; ein Dialog darf keine Schleife haben",
                    "The dialog leads from step '{0}' back to step '{1}', answered already; a dialog must not loop",
                    step, next)));
        }
        if (next != null) {
            path.add(next);
        }
        step = next;
        return List.of();
    }

    /** Back to the previous step (from the summary: the last one answered); answers are kept. */
    public void back() {
        if (step == null) {
            step = path.get(path.size() - 1);
        } else if (path.size() > 1) {
            path.remove(path.size() - 1);
            step = path.get(path.size() - 1);
        }
    }

    /**
     * What finishing would write, as the path stands: the record's fields the answers change and those the finish
     * sets, the records it would create with their values, and the phase it would move the record to.
     */
    public Finish finish(String language) {
        DialogFinish finish = definition.finishAfter(path.get(path.size() - 1));
        Map<String, DialogField> fields = DialogRunner.fields(definition);
        Set<String> answered = new LinkedHashSet<>();
        for (String name : step == null ? path : path.subList(0, path.size() - 1)) {
            definition.step(name).orElseThrow().fields().forEach(f -> answered.add(f.name()));
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        for (String name : answered) {
            if (fields.get(name).recordField() && !DialogRunner.same(answers.get(name), record.get(name))) {
                changes.put(name, answers.get(name));
            }
        }
        changes.putAll(finish.setFields());
        Map<String, Object> recordScope = new LinkedHashMap<>(record.values());
        recordScope.putAll(changes);
        recordScope.put("id", record.id());
        Map<String, Object> dialogScope = new LinkedHashMap<>();
        for (DialogField field : fields.values()) {
            dialogScope.put(field.name(), answered.contains(field.name()) ? answers.get(field.name())
                    : field.recordField() ? record.get(field.name()) : null);
        }
        List<Created> creates = new ArrayList<>();
        for (DialogFinish.CreateRecord create : finish.creates()) {
            creates.add(new Created(create.entity(), FinishValues.resolve(definition, create,
                    model.entity(create.entity()).orElse(null), new FinishValues.Answers(recordScope,
                            DialogRunner.fieldsOf(entity), dialogScope, DialogRunner.definitionsOf(fields)), language)));
        }
        return new Finish(changes, creates, finish.movePhase());
    }

    /**
     * What a finish would write.
     *
     * @param changes   the record's fields and their new values
     * @param movePhase the phase the record would be moved to (through its process), or null
     */
    public record Finish(Map<String, Object> changes, List<Created> creates, String movePhase) {
    }

    /** A record the finish would create. */
    public record Created(String entity, Map<String, Object> values) {
    }
}
