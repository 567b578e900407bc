package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.record.FieldError;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.record.RecordLink;
import io.relata.api.rules.RuleKind;
import io.relata.api.security.FieldAccess;
import io.relata.store.access.AccessPolicy;
import io.relata.runtime.Platform;
import java.io.Serializable;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The move dialog of the phase bar and the board: what a move to a phase needs besides the phase, asked before
 * the move is made — the phase's required fields that are empty, the reason of a closing phase, fields the
 * entity's rules require in that phase ({@code requiredWhen}) — each with the input of its type (a closing
 * reason of type choice is a dropdown of its options). The form's {@code visibleWhen} does not hide them here:
 * the move needs them. A refused move that names further fields the user may fill in adds them to the dialog
 * with the reason, instead of just failing.
 */
public final class MoveForm implements Serializable {

    private static final long serialVersionUID = 1L;

    private String entity;
    private long recordId;
    private long version;
    private String phase;
    private String phaseLabel;
    private final List<String> fields = new ArrayList<>();
    private final Map<String, FieldInput> inputs = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();

    /**
     * The fields the move of {@code record} to {@code phase} asks for: the reason of a closing phase (always, so
     * a reopened case does not silently keep an old one), and the phase's required fields and those the rules
     * require after the move that are still empty — only fields the user may change, in the entity's order.
     */
    static List<String> asked(Platform platform, AccessPolicy access, ProcessDefinition process, Record record,
                              String phase) {
        EntityDefinition entity = Pages.entity(platform, process.entity());
        PhaseDefinition target = process.phase(phase).orElse(null);
        if (target == null) {
            return List.of();
        }
        Set<String> needed = new LinkedHashSet<>();
        String reason = target.isClosing() ? target.reasonField() : null;
        for (String field : target.requiredFields()) {
            if (isEmpty(record.get(field))) {
                needed.add(field);
            }
        }
        try {
            for (String field : platform.securedRecords().evaluateRules(entity.name(),
                    Map.of(process.phaseField(), phase), record.id()).required()) {
                if (isEmpty(record.get(field))) {
                    needed.add(field);
                }
            }
        } catch (RecordException e) {
            // the move itself will say what is wrong
        }
        Set<String> ruleSet = ruleSet(entity);
        List<String> asked = new ArrayList<>();
        for (FieldDefinition field : entity.fields()) {
            String name = field.name();
            // a record-link is picked in the form (entity, then record): the move then says what is missing
            if ((name.equals(reason) || needed.contains(name)) && !name.equals(process.phaseField())
                    && field.type() != FieldType.RECORD_LINK
                    && !ruleSet.contains(name) && access.fieldAccess(entity.name(), name) == FieldAccess.EDITABLE) {
                asked.add(name);
            }
        }
        return asked;
    }

    /** Opens the dialog for moving {@code record} to {@code phase}, asking {@code names} with their current values. */
    void open(Platform platform, EntityDefinition entityDefinition, Record record, String phase, String label,
              List<String> names) {
        entity = entityDefinition.name();
        recordId = record.id();
        version = record.version();
        this.phase = phase;
        phaseLabel = label;
        fields.clear();
        inputs.clear();
        errors.clear();
        names.forEach(name -> ask(platform, entityDefinition, record, name));
    }

    private void ask(Platform platform, EntityDefinition entityDefinition, Record record, String name) {
        FieldDefinition field = entityDefinition.field(name).orElse(null);
        if (field == null || fields.contains(name)) {
            return;
        }
        fields.add(name);
        FieldInput input = new FieldInput(field);
        Object value = record.get(name);
        String title = null;
        if (value instanceof Long id && field.type() == FieldType.REFERENCE) {
            title = RecordCells.titlesIfReadable(platform.records(), field.referenceEntity(), List.of(id)).get(id);
        } else if (value instanceof RecordLink link) {
            title = RecordCells.titlesIfReadable(platform.records(), link.entity(), List.of(link.id())).get(link.id());
        }
        input.set(value, title);
        inputs.put(name, input);
    }

    /** The values to send with the move: what the dialog asked, as entered. */
    Map<String, Object> values() {
        Map<String, Object> values = new LinkedHashMap<>();
        inputs.forEach((name, input) -> values.put(name, input.value()));
        return values;
    }

    /** True if every asked field has a value; else each empty one gets an error. */
    boolean filled(UiText ui, EntityDefinition entityDefinition) {
        errors.clear();
        inputs.forEach((name, input) -> {
            if (isEmpty(input.value())) {
                errors.put(name, MessageFormat.format(ui.message("process.field.missing"),
                        entityDefinition.field(name).map(ui::label).orElse(name)));
            }
        });
        return errors.isEmpty();
    }

    /**
     * Takes the errors of a refused move that concern fields the user may change (a guard's {field: message},
     * a rule's requirement) into the dialog, asking such fields if it did not yet; returns the others.
     */
    List<FieldError> absorb(Platform platform, AccessPolicy access, EntityDefinition entityDefinition, Record record,
                            String phaseField, List<FieldError> refused, java.util.Locale locale) {
        errors.clear();
        Set<String> ruleSet = ruleSet(entityDefinition);
        List<FieldError> rest = new ArrayList<>();
        for (FieldError error : refused) {
            String field = error.field();
            boolean askable = field != null && !field.equals(phaseField) && entityDefinition.field(field)
                    .filter(f -> f.type() != FieldType.RECORD_LINK).isPresent()
                    && !ruleSet.contains(field) && access.fieldAccess(entityDefinition.name(), field) == FieldAccess.EDITABLE;
            if (!askable) {
                rest.add(error);
                continue;
            }
            ask(platform, entityDefinition, record, field);
            errors.merge(field, error.message(locale), (a, b) -> a + " " + b);
        }
        return rest;
    }

    private static Set<String> ruleSet(EntityDefinition entity) {
        Set<String> owned = new LinkedHashSet<>();
        entity.rules().stream().filter(r -> r.kind() == RuleKind.COMPUTED || r.kind() == RuleKind.SCORE).forEach(r -> {
            owned.add(r.field());
            if (r.reasonsField() != null) {
                owned.add(r.reasonsField());
            }
        });
        return owned;
    }

    static boolean isEmpty(Object value) {
        return value == null || (value instanceof String s && s.isBlank())
                || (value instanceof Collection<?> c && c.isEmpty());
    }

    void clear() {
        phase = null;
        fields.clear();
        inputs.clear();
        errors.clear();
    }

    boolean isOpen() {
        return phase != null;
    }

    // ---- for the page ----

    /** The asked fields, in the order asked. */
    public List<FieldDefinition> getFields() {
        if (entity == null) {
            return List.of();
        }
        EntityDefinition definition = Platforms.current().model().entity(entity).orElse(null);
        if (definition == null) {
            return List.of();
        }
        return fields.stream().map(definition::field).flatMap(java.util.Optional::stream).toList();
    }

    public Map<String, FieldInput> getInputs() {
        return inputs;
    }

    public Map<String, String> getErrors() {
        return errors;
    }

    public String getPhase() {
        return phase;
    }

    public String getPhaseLabel() {
        return phaseLabel == null ? "" : phaseLabel;
    }

    public String getEntity() {
        return entity;
    }

    public long getRecordId() {
        return recordId;
    }

    public long getVersion() {
        return version;
    }

    /** True if the record is still the one the dialog was opened for. */
    boolean isFor(String entityName, long id) {
        return Objects.equals(entity, entityName) && recordId == id;
    }
}
