package io.relata.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The merge of a draft with what others published: values key by key, and the order of keys as meaning. */
class DraftMergeTest {

    private static final String BASE = "name: v\nfields:\n  a: {type: text, label: {en: A}}\n  b: {type: text, label: {en: B}}\n";

    @Test
    void aReorderInTheDraftSurvivesALabelPublishedMeanwhile() {
        String current = BASE.replace("label: {en: A}", "label: {en: Alpha}");
        String draft = "name: v\nfields:\n  b: {type: text, label: {en: B}}\n  a: {type: text, label: {en: A}}\n";
        DraftMerge.Result merged = DraftMerge.merge("entities/v.yaml", BASE, current, draft);
        assertThat(merged.conflicts()).isEmpty();
        assertThat(merged.content()).contains("  b: {type: text, label: {en: B}}\n  a: {type: text, label: {en: Alpha}}");
    }

    @Test
    void aReorderPublishedMeanwhileSurvivesALabelInTheDraft() {
        String current = "name: v\nfields:\n  b: {type: text, label: {en: B}}\n  a: {type: text, label: {en: A}}\n";
        String draft = BASE.replace("label: {en: B}", "label: {en: Beta}");
        DraftMerge.Result merged = DraftMerge.merge("entities/v.yaml", BASE, current, draft);
        assertThat(merged.conflicts()).isEmpty();
        assertThat(merged.content()).contains("  b: {type: text, label: {en: Beta}}\n  a: {type: text, label: {en: A}}");
    }
}
