package io.relata.process;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.SourceLocation;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.rules.RecordRules;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleKind;
import io.relata.api.rules.RuleOutcome;
import io.relata.api.security.Actor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds fields a phase requires (to enter it and while a record is in it) that the entity's {@code visibleWhen}
 * rules hide in that phase: the move dialog asks for them, but a user editing a record in the phase cannot see
 * what they are asked to keep filled in. Judged by running the entity's rules on a record that has only its phase
 * set, which is how a visibleWhen that follows the phase reads; a rule that fails on such a record is left to the
 * rule checks. Run after a metadata load, for the admin's warnings.
 */
public final class HiddenPhaseFields {

    /** One required field of a phase that the form hides in it. */
    public record Hidden(String process, String phase, String field, SourceLocation at) {
    }

    private HiddenPhaseFields() {
    }

    public static List<Hidden> find(MetadataModel model, RecordRules rules) {
        List<Hidden> hidden = new ArrayList<>();
        for (ProcessDefinition process : model.processes().values()) {
            EntityDefinition entity = model.entity(process.entity()).orElse(null);
            if (entity == null) {
                continue;
            }
            Set<String> conditional = entity.rules(RuleKind.VISIBLE_WHEN).stream().map(RuleDefinition::field)
                    .collect(Collectors.toSet());
            for (PhaseDefinition phase : process.phases()) {
                List<String> candidates = phase.requiredFields().stream().filter(conditional::contains).toList();
                if (candidates.isEmpty()) {
                    continue;
                }
                Map<String, Boolean> visible = visibility(entity, process.phaseField(), phase.name(), rules);
                for (String field : candidates) {
                    if (Boolean.FALSE.equals(visible.get(field))) {
                        hidden.add(new Hidden(process.name(), phase.name(), field, phase.source()));
                    }
                }
            }
        }
        return hidden;
    }

    private static Map<String, Boolean> visibility(EntityDefinition entity, String phaseField, String phase,
                                                   RecordRules rules) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (FieldDefinition field : entity.fields()) {
            values.put(field.name(), null);
        }
        values.put(phaseField, phase);
        try {
            RuleOutcome outcome = rules.evaluate(new RuleInput(entity, Collections.unmodifiableMap(values), null,
                    Actor.SYSTEM, RuleInput.RecordLookup.NONE));
            return outcome == null ? Map.of() : outcome.visible();
        } catch (RuntimeException e) {
            return Map.of(); // a rule that cannot judge such a record: the rule checks report it
        }
    }
}
