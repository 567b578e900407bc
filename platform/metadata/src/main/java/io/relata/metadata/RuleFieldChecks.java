package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleDefinition;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every field a script reads ({@link FieldReads}) must be a field of the record it runs on: a rule of an entity
 * reads the entity's fields, a process's guards, conditions and set-field expressions those of the process's
 * entity, a dialog's validations and branch conditions also the dialog's own fields. A name that is none of
 * them would always be {@code undefined} — a typo that no example may catch — and is an error
 * ({@link ProblemCode#RULE_UNKNOWN_FIELD}) at the name's position in the file that holds the script.
 */
final class RuleFieldChecks {

    private final Problems problems;
    /** Scripts already checked (a guard written once may serve several expanded transitions). */
    private final Set<SourceLocation> checked = new HashSet<>();

    RuleFieldChecks(Problems problems) {
        this.problems = problems;
    }

    /**
     * @param fields the names the record has, in the order to suggest them
     * @param whose  what has these fields, for the message: "entity 'lead'", "entity 'lead' or dialog 'x'"
     */
    void check(RuleDefinition rule, List<String> fields, String whose) {
        if (rule != null) {
            check(rule.name(), rule.source(), rule.start(), fields, whose);
        }
    }

    void check(String rule, RuleScripts.Script script, List<String> fields, String whose) {
        check(rule, script.source(), script.start(), fields, whose);
    }

    private void check(String rule, String source, SourceLocation start, List<String> fields, String whose) {
        if (start != null && !checked.add(start)) {
            return;
        }
        for (FieldReads.Read read : FieldReads.of(source).reads()) {
            if (fields.contains(read.field())) {
                continue;
            }
            SourceLocation at = RuleScripts.position(start, read.line(), read.column());
            problems.add(new MetadataProblem(at.file(), at.line(), at.column(), ProblemCode.RULE_UNKNOWN_FIELD,
                    "Rule " + q(rule) + " reads " + q(read.root() + "." + read.field()) + ", but " + whose
                            + " has no field " + q(read.field()) + ", so the rule would always see undefined there.",
                    Suggestions.didYouMean(read.field(), fields) + "use one of: " + String.join(", ", fields) + "."));
        }
    }
}
