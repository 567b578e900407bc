package io.relata.api.model;

/** One option of a choice or multi-choice field: the stored value and its label per language. */
public record ChoiceOption(String value, LocalizedText label) {
}
