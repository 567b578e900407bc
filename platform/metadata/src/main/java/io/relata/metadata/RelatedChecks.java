package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.SourceLocation;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.rules.RuleDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The entities and fields a script names in {@code related.count/exists/sum/min/max} calls with literal
 * arguments ({@code related.sum('ticket', 'hours', {account: record.account, status: 'open'})}) must exist:
 * otherwise every save would fail the rule. Runs after the entities are resolved (the entity asked about may be
 * defined in any file) over the entities' rules and the processes' scripts; an unknown entity is
 * {@link ProblemCode#RULE_UNKNOWN_ENTITY}, an unknown field {@link ProblemCode#RULE_UNKNOWN_FIELD}, each at the
 * name with the closest one suggested. Names given by expressions cannot be checked and are not.
 */
final class RelatedChecks {

    private static final Set<String> QUESTIONS = Set.of("count", "exists", "sum", "min", "max", "first");

    private RelatedChecks() {
    }

    /** One literal name in a related.* call, with its position in the script. */
    record Name(String question, String name, boolean entity, String ofEntity, int line, int column) {
    }

    static void check(Map<String, EntityDefinition> entities, Set<String> brokenEntities,
                      Map<String, ProcessDefinition> processes, Problems problems) {
        Set<SourceLocation> checked = new HashSet<>();
        for (EntityDefinition entity : entities.values()) {
            entity.rules().forEach(rule -> check(rule, entities, brokenEntities, checked, problems));
        }
        for (ProcessDefinition process : processes.values()) {
            ProcessResolver.scripts(process).forEach(rule -> check(rule, entities, brokenEntities, checked, problems));
        }
    }

    private static void check(RuleDefinition rule, Map<String, EntityDefinition> entities, Set<String> brokenEntities,
                              Set<SourceLocation> checked, Problems problems) {
        if (rule.start() != null && !checked.add(rule.start())) {
            return;
        }
        for (Name name : names(rule.source())) {
            SourceLocation at = RuleScripts.position(rule.start(), name.line(), name.column());
            String call = "related." + name.question();
            if (name.entity()) {
                if (!entities.containsKey(name.name()) && !brokenEntities.contains(name.name())) {
                    List<String> known = List.copyOf(entities.keySet());
                    problems.add(new MetadataProblem(at.file(), at.line(), at.column(), ProblemCode.RULE_UNKNOWN_ENTITY,
                            "Rule " + q(rule.name()) + " asks " + call + " about " + q(name.name())
                                    + ", but there is no such entity, so every run of the rule would fail.",
                            Suggestions.didYouMean(name.name(), known) + "use one of: " + String.join(", ", known) + "."));
                }
                continue;
            }
            EntityDefinition entity = entities.get(name.ofEntity());
            if (entity != null && entity.field(name.name()).isEmpty()) {
                List<String> fields = entity.fields().stream().map(FieldDefinition::name).toList();
                problems.add(new MetadataProblem(at.file(), at.line(), at.column(), ProblemCode.RULE_UNKNOWN_FIELD,
                        "Rule " + q(rule.name()) + " names " + q(name.name()) + " in " + call + " over "
                                + q(name.ofEntity()) + ", but entity " + q(name.ofEntity()) + " has no field "
                                + q(name.name()) + ", so every run of the rule would fail.",
                        Suggestions.didYouMean(name.name(), fields) + "use one of: " + String.join(", ", fields) + "."));
            }
        }
    }

    /**
     * The literal names of the script's related.* calls: the entity (first argument, a string), the field of
     * sum/min/max (second argument, a string) and the keys of a filter written as an object literal; positions
     * are those of the name in the script (1-based).
     */
    static List<Name> names(String source) {
        List<ScriptTokens.Token> tokens;
        try {
            tokens = ScriptTokens.of(source == null ? "" : source);
        } catch (ScriptTokens.UnreadableScriptException e) {
            return List.of(); // the engine reports the syntax error
        }
        List<Name> names = new ArrayList<>();
        for (int i = 0; i + 4 < tokens.size(); i++) {
            ScriptTokens.Token root = tokens.get(i);
            if (!root.isIdentifier() || !root.text().equals("related") || (i > 0 && tokens.get(i - 1).is("."))
                    || !tokens.get(i + 1).is(".") || !QUESTIONS.contains(tokens.get(i + 2).text())
                    || !tokens.get(i + 3).is("(")) {
                continue;
            }
            String question = tokens.get(i + 2).text();
            int at = i + 4;
            ScriptTokens.Token entity = tokens.get(at);
            if (entity.value() == null || at + 1 >= tokens.size()) {
                continue;
            }
            names.add(new Name(question, entity.value(), true, null, entity.line(), entity.column() + 1));
            at++;
            if (!tokens.get(at).is(",")) {
                continue;
            }
            at++;
            if (!question.equals("count") && !question.equals("exists") && !question.equals("first")) {
                if (at >= tokens.size()) {
                    continue;
                }
                ScriptTokens.Token field = tokens.get(at);
                if (field.value() != null) {
                    names.add(new Name(question, field.value(), false, entity.value(), field.line(), field.column() + 1));
                }
                at++;
                if (at >= tokens.size() || !tokens.get(at).is(",")) {
                    continue;
                }
                at++;
            }
            at = filterKeys(tokens, at, question, entity.value(), names);
            if (question.equals("first") && at > 0 && at + 1 < tokens.size() && tokens.get(at).is(",")) {
                orderKeys(tokens, at + 1, entity.value(), names);
            }
        }
        return names;
    }

    /** The literal field names of related.first's order: {@code '-valid_from'} or {@code ['name', '-amount']}. */
    private static void orderKeys(List<ScriptTokens.Token> tokens, int at, String entity, List<Name> names) {
        boolean list = tokens.get(at).is("[");
        for (int i = list ? at + 1 : at; i < tokens.size(); i++) {
            ScriptTokens.Token token = tokens.get(i);
            if (token.value() != null) {
                boolean descending = token.value().startsWith("-");
                names.add(new Name("first", descending ? token.value().substring(1) : token.value(), false, entity,
                        token.line(), token.column() + (descending ? 2 : 1)));
            }
            if (!list || (i + 1 < tokens.size() && !tokens.get(i + 1).is(","))) {
                return;
            }
            i++; // the comma
        }
    }

    /**
     * The keys at the top level of an object literal starting at {@code at} ({@code {a: 1, 'b': 2, c}}).
     *
     * @return the index after the literal's closing brace; -1 if there is no literal or its keys are not all literal
     */
    private static int filterKeys(List<ScriptTokens.Token> tokens, int at, String question, String entity,
                                  List<Name> names) {
        if (at >= tokens.size() || !tokens.get(at).is("{")) {
            return -1;
        }
        int depth = 0;
        boolean expectKey = true;
        for (int i = at; i < tokens.size(); i++) {
            ScriptTokens.Token token = tokens.get(i);
            if (token.is("{") || token.is("(") || token.is("[")) {
                depth++;
                expectKey = depth == 1;
                continue;
            }
            if (token.is("}") || token.is(")") || token.is("]")) {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
                continue;
            }
            if (depth != 1) {
                continue;
            }
            if (token.is(",")) {
                expectKey = true;
                continue;
            }
            if (expectKey) {
                expectKey = false;
                if (token.is("...") || token.is("[")) {
                    return -1; // spread or computed keys: the filter's names are not all literal
                }
                String key = token.isIdentifier() ? token.text() : token.value();
                if (key != null) {
                    names.add(new Name(question, key, false, entity, token.line(),
                            token.column() + (token.isIdentifier() ? 0 : 1)));
                }
            }
        }
        return -1;
    }
}
