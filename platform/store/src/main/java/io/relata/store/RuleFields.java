package io.relata.store;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which fields of an entity its rules write, and how a rule's result is prepared for
 * {@link ValueConverter}. Pure: metadata in, answers out.
 */
final class RuleFields {

    private RuleFields() {
    }

    /**
     * Fields only rules write: the field of every computed and score rule and the reasons field of every
     * score rule. Users may not give them a value (other than the one they have or the rules produce).
     */
    static Set<String> owned(EntityDefinition entity) {
        Set<String> owned = new LinkedHashSet<>();
        for (RuleDefinition rule : entity.rules()) {
            if (rule.kind() == RuleKind.COMPUTED || rule.kind() == RuleKind.SCORE) {
                if (rule.field() != null) {
                    owned.add(rule.field());
                }
                if (rule.reasonsField() != null) {
                    owned.add(rule.reasonsField());
                }
            }
        }
        return owned;
    }

    /** Fields no writer sets: those rules write ({@link #owned}) and those the platform numbers ({@code autoNumber}). */
    static Set<String> systemWritten(EntityDefinition entity) {
        Set<String> written = owned(entity);
        entity.fields().stream().filter(f -> f.autoNumber() != null).forEach(f -> written.add(f.name()));
        return written;
    }

    /** Fields with a default rule (and no computed or score rule): filled in on create when left empty. */
    static Set<String> defaulted(EntityDefinition entity) {
        Set<String> owned = owned(entity);
        return entity.rules(RuleKind.DEFAULT).stream().map(RuleDefinition::field)
                .filter(field -> field != null && !owned.contains(field))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** "the rule 'x'" for the rule that sets {@code field}, or "the rules" if none is declared for it. */
    static String describeSetter(EntityDefinition entity, String field) {
        Optional<RuleDefinition> rule = entity.rules().stream()
                .filter(r -> r.kind() == RuleKind.COMPUTED || r.kind() == RuleKind.DEFAULT || r.kind() == RuleKind.SCORE)
                .filter(r -> field.equals(r.field()) || field.equals(r.reasonsField()))
                .findFirst();
        return rule.map(r -> "the rule '" + r.name() + "'").orElse("the rules");
    }

    /**
     * A rule's result made ready for conversion: numbers for decimal and money fields are rounded (half up)
     * to the field's scale, since script arithmetic is binary floating point (0.1 + 0.2); a list for a text
     * field (score reasons) becomes one line per element, a {@code {points, reason}} element as
     * "+10 reason". Anything else is passed on as it is, and the converter judges it.
     */
    static Object prepare(FieldDefinition field, Object value) {
        if ((field.type() == FieldType.DECIMAL || field.type() == FieldType.MONEY) && value instanceof Number number
                && !(value instanceof Double d && (d.isNaN() || d.isInfinite()))
                && !(value instanceof Float f && (f.isNaN() || f.isInfinite()))) {
            BigDecimal decimal = number instanceof BigDecimal b ? b : new BigDecimal(number.toString());
            return decimal.setScale(field.effectiveScale(), RoundingMode.HALF_UP);
        }
        if ((field.type() == FieldType.TEXT || field.type() == FieldType.LONG_TEXT) && value instanceof Collection<?> lines) {
            return lines.stream().map(RuleFields::line).collect(Collectors.joining("\n"));
        }
        return value;
    }

    private static String line(Object element) {
        if (element instanceof Map<?, ?> map && map.get("reason") != null) {
            Object points = map.get("points");
            String prefix = points instanceof Number n ? (n.doubleValue() >= 0 ? "+" : "") + number(n) + " " : "";
            return prefix + map.get("reason");
        }
        return String.valueOf(element);
    }

    private static String number(Number n) {
        BigDecimal decimal = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
        return decimal.stripTrailingZeros().toPlainString();
    }
}
