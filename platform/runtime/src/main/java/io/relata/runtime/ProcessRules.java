package io.relata.runtime;

import io.relata.api.process.DialogDefinition;
import io.relata.api.process.DialogStep;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TimerDefinition;
import io.relata.api.process.TransitionDefinition;
import io.relata.api.rules.RuleDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** The scripts of a process or dialog (guards, conditions, set-field expressions), to compile them at load. */
public final class ProcessRules {

    private ProcessRules() {
    }

    public static List<RuleDefinition> of(ProcessDefinition process) {
        List<RuleDefinition> rules = new ArrayList<>();
        rules.add(process.appliesWhen());
        for (TransitionDefinition transition : process.transitions()) {
            rules.add(transition.guard());
            rules.add(transition.when());
        }
        for (PhaseDefinition phase : process.phases()) {
            Stream.concat(Stream.concat(phase.onEnter().stream(), phase.onLeave().stream()),
                            phase.timers().stream().map(TimerDefinition::actions).flatMap(List::stream))
                    .filter(ProcessAction.SetFields.class::isInstance)
                    .map(ProcessAction.SetFields.class::cast)
                    .forEach(set -> set.values().values().stream().filter(RuleDefinition.class::isInstance)
                            .map(RuleDefinition.class::cast).forEach(rules::add));
        }
        return distinct(rules);
    }

    public static List<RuleDefinition> of(DialogDefinition dialog) {
        List<RuleDefinition> rules = new ArrayList<>();
        for (DialogStep step : dialog.steps()) {
            rules.add(step.validation());
            step.next().forEach(branch -> rules.add(branch.when()));
        }
        return distinct(rules);
    }

    /** Transitions expanded from one YAML item share its script: compile (and report) it once. */
    private static List<RuleDefinition> distinct(List<RuleDefinition> rules) {
        java.util.Map<List<Object>, RuleDefinition> byScript = new java.util.LinkedHashMap<>();
        rules.stream().filter(Objects::nonNull)
                .forEach(rule -> byScript.putIfAbsent(List.of(rule.kind(), String.valueOf(rule.sourceName()),
                        String.valueOf(rule.start()), rule.source()), rule));
        return List.copyOf(byScript.values());
    }
}
