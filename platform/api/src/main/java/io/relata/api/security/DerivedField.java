package io.relata.api.security;

import io.relata.api.model.SourceLocation;
import java.util.List;

/**
 * A field that a grant hides although it does not name it hidden: a rule computes it from fields the grant
 * hides, so its value would let the role's users work them out (a weighted amount and the probability give
 * the amount). The metadata loader finds these for every grant ({@link EntityGrant#derived()}) and warns the
 * admin; a grant shows such a field only if it lists it under {@code showDerived}.
 *
 * @param field    the derived field
 * @param from     the hidden fields the rule reads (every hidden field, if the rule may read the whole record)
 * @param rule     the rule that computes it: an entity's computed, default or score rule, or a process's
 *                 set-field expression
 * @param location where that rule's script starts
 */
public record DerivedField(String field, List<String> from, String rule, SourceLocation location) {

    public DerivedField {
        from = List.copyOf(from);
    }
}
