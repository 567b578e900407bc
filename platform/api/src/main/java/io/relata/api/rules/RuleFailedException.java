package io.relata.api.rules;

import io.relata.api.model.LocalizedText;
import io.relata.api.record.RecordException;

/**
 * A rule could not run to its end: it threw, ran too long, used too much, or returned something its kind
 * does not allow. Nothing was written. {@link #getMessage()} is for the user; {@link #location()} tells
 * the admin where to look ({@code metadata/entities/lead.score.js:12:7}).
 */
public class RuleFailedException extends RecordException {

    private final String rule;
    private final String location;

    public RuleFailedException(String rule, String location, String detail, Throwable cause) {
        super(LocalizedText.format("Die Regel '{0}' konnte nicht angewendet werden ({1}); nichts wurde gespeichert."
                + " Ein Administrator findet sie unter {2}.", "The rule '{0}' could not be applied ({1}); nothing was"
                + " saved. An administrator can find it at {2}.", rule, detail, location), cause);
        this.rule = rule;
        this.location = location;
    }

    public String rule() {
        return rule;
    }

    public String location() {
        return location;
    }
}
