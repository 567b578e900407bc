package io.relata.api.process;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleDefinition;
import java.util.List;
import java.util.Optional;

/**
 * A pipeline of one entity: the phases a record moves through and the moves allowed between them. The
 * current phase is the value of {@link #phaseField}, a choice field whose options are the phase names.
 * Several processes may exist for one entity; a new record follows the first (in load order) whose
 * {@link #appliesWhen} holds, and keeps it (see platform/process).
 *
 * @param appliesWhen a condition rule ({@link io.relata.api.rules.RuleKind#CONDITION}) on the new record, or
 *                    null for "always"
 * @param phases      in pipeline order; the first is where a new record starts unless it names another phase
 * @param transitions the allowed moves; a move not listed is refused
 */
public record ProcessDefinition(
        String name,
        String entity,
        LocalizedText label,
        String phaseField,
        RuleDefinition appliesWhen,
        List<PhaseDefinition> phases,
        List<TransitionDefinition> transitions,
        SourceLocation source) {

    public ProcessDefinition {
        phases = List.copyOf(phases);
        transitions = List.copyOf(transitions);
    }

    public Optional<PhaseDefinition> phase(String phaseName) {
        return phases.stream().filter(p -> p.name().equals(phaseName)).findFirst();
    }

    /**
     * What a phase is called: its own label, else the label of the phase field's option (the text the form
     * shows), else its name — a phase that changed metadata no longer has still shows in old stamps.
     *
     * @param entity the process's entity (for the option labels); may be null
     */
    public LocalizedText phaseLabel(EntityDefinition entity, String phaseName) {
        if (phaseName == null) {
            return new LocalizedText(java.util.Map.of(LocalizedText.FALLBACK_LANGUAGE, ""));
        }
        Optional<PhaseDefinition> definition = phase(phaseName);
        if (definition.isPresent() && definition.get().label() != null) {
            return definition.get().label();
        }
        return Optional.ofNullable(entity).flatMap(e -> e.field(phaseField())).flatMap(f -> f.option(phaseName))
                .map(io.relata.api.model.ChoiceOption::label)
                .orElse(new LocalizedText(java.util.Map.of(LocalizedText.FALLBACK_LANGUAGE, phaseName)));
    }

    public PhaseDefinition initialPhase() {
        return phases.get(0);
    }

    public Optional<TransitionDefinition> transition(String from, String to) {
        return transitions.stream().filter(t -> t.from().equals(from) && t.to().equals(to)).findFirst();
    }

    public List<TransitionDefinition> transitionsFrom(String from) {
        return transitions.stream().filter(t -> t.from().equals(from)).toList();
    }
}
