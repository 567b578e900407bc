package io.relata.api.model;

/**
 * One option of a choice or multi-choice field: the stored value, its label per language, and whether it is
 * still offered.
 *
 * @param active false: a retired option ({@code active: false} in the metadata). Records that hold it keep it and
 *               show its label, but it is no longer accepted as a new value nor offered in pickers. Retiring an
 *               option instead of deleting it keeps stored values meaningful.
 */
public record ChoiceOption(String value, LocalizedText label, boolean active) {

    /** An option that is offered (the usual case). */
    public ChoiceOption(String value, LocalizedText label) {
        this(value, label, true);
    }
}
