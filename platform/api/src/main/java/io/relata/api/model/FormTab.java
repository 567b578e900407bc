package io.relata.api.model;

import java.util.List;

/** A tab of a record form (no label: the form has one untitled page) and its sections. */
public record FormTab(LocalizedText label, List<FormSection> sections) {

    public FormTab {
        sections = List.copyOf(sections);
    }
}
