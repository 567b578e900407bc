package io.relata.runtime;

import io.relata.api.model.EntityDefinition;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.rules.RuleDefinition;
import io.relata.metadata.MetadataProblem;
import io.relata.metadata.RuleVerifier;
import io.relata.rules.RuleEngine;
import io.relata.rules.RuleProblem;
import java.util.List;

/** The metadata loader's {@link RuleVerifier} over the rule engine: scripts must compile, examples must hold. */
public final class EngineRuleVerifier implements RuleVerifier {

    private final RuleEngine rules;

    public EngineRuleVerifier(RuleEngine rules) {
        this.rules = rules;
    }

    @Override
    public List<MetadataProblem> check(EntityDefinition entity) {
        return problems(rules.check(entity));
    }

    @Override
    public List<MetadataProblem> runExamples(EntityDefinition entity) {
        return problems(rules.runExamples(entity));
    }

    @Override
    public List<MetadataProblem> check(EntityDefinition entity, ProcessDefinition process) {
        return standalone(entity, ProcessRules.of(process));
    }

    @Override
    public List<MetadataProblem> check(EntityDefinition entity, DialogDefinition dialog) {
        return standalone(entity, ProcessRules.of(dialog));
    }

    /** Guards, conditions and expressions compile as rules of their entity (which keeps its fields). */
    private List<MetadataProblem> standalone(EntityDefinition entity, List<RuleDefinition> scripts) {
        return scripts.isEmpty() ? List.of() : problems(rules.check(entity.withRules(scripts)));
    }

    private static List<MetadataProblem> problems(List<RuleProblem> found) {
        return found.stream()
                .map(p -> new MetadataProblem(p.file(), p.line(), p.column(), p.code(), p.message(), p.fix()))
                .toList();
    }
}
