package io.relata.api.model;

import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleExample;
import io.relata.api.rules.RuleKind;
import java.util.List;
import java.util.Optional;

/**
 * An entity as declared in one metadata file: its labels and its fields in display order.
 *
 * @param name       API and metadata name, lower case (e.g. {@code account}); the table is derived from it
 * @param titleField the field that names a record in pickers, titles and reverse lists
 * @param rules      the JavaScript rules of the entity (metadata "rules" and field-level rule keys)
 * @param examples   example records with expected rule outcomes, run on every metadata load
 * @param readAccessFrom the reference or record-link field whose linked record decides who may read a record
 *                   of this entity ("controlled by the record it is about"): whoever may read the linked
 *                   record, and the record's owner (a to-do's assignee); a record whose field is empty follows
 *                   the roles' read scopes. Null: the roles' read scopes alone decide
 * @param title      how a record is named when the title field alone does not say it ({@code "{first_name}
 *                   {last_name}"}); null: by its title field
 * @param indexes    composite indexes the entity declares for its frequent lists (beyond those the store derives)
 */
public record EntityDefinition(
        String name,
        LocalizedText label,
        LocalizedText pluralLabel,
        String icon,
        String titleField,
        List<FieldDefinition> fields,
        List<RuleDefinition> rules,
        List<RuleExample> examples,
        SourceLocation location,
        String readAccessFrom,
        TitleTemplate title,
        List<IndexDefinition> indexes) {

    public EntityDefinition {
        fields = NamedFields.of(fields);
        rules = List.copyOf(rules);
        examples = List.copyOf(examples);
        indexes = indexes == null ? List.of() : List.copyOf(indexes);
    }

    /** An entity without declared indexes. */
    public EntityDefinition(String name, LocalizedText label, LocalizedText pluralLabel, String icon, String titleField,
                            List<FieldDefinition> fields, List<RuleDefinition> rules, List<RuleExample> examples,
                            SourceLocation location, String readAccessFrom, TitleTemplate title) {
        this(name, label, pluralLabel, icon, titleField, fields, rules, examples, location, readAccessFrom, title,
                List.of());
    }

    /** An entity named by its title field alone. */
    public EntityDefinition(String name, LocalizedText label, LocalizedText pluralLabel, String icon, String titleField,
                            List<FieldDefinition> fields, List<RuleDefinition> rules, List<RuleExample> examples,
                            SourceLocation location, String readAccessFrom) {
        this(name, label, pluralLabel, icon, titleField, fields, rules, examples, location, readAccessFrom, null);
    }

    /** An entity whose records' read access the roles' scopes alone decide. */
    public EntityDefinition(String name, LocalizedText label, LocalizedText pluralLabel, String icon, String titleField,
                            List<FieldDefinition> fields, List<RuleDefinition> rules, List<RuleExample> examples,
                            SourceLocation location) {
        this(name, label, pluralLabel, icon, titleField, fields, rules, examples, location, null);
    }

    /** An entity without rules (tests, tools). */
    public EntityDefinition(String name, LocalizedText label, LocalizedText pluralLabel, String icon, String titleField,
                            List<FieldDefinition> fields, SourceLocation location) {
        this(name, label, pluralLabel, icon, titleField, fields, List.of(), List.of(), location);
    }

    /** A copy with other fields (e.g. only those a user may see), same rules. */
    public EntityDefinition withFields(List<FieldDefinition> otherFields) {
        return new EntityDefinition(name, label, pluralLabel, icon, titleField, otherFields, rules, examples, location,
                readAccessFrom, title, indexes);
    }

    /** A copy with other rules and no examples (standalone rules of processes and dialogs run on it). */
    public EntityDefinition withRules(List<RuleDefinition> otherRules) {
        return new EntityDefinition(name, label, pluralLabel, icon, titleField, fields, otherRules, List.of(), location,
                readAccessFrom, title, indexes);
    }

    /** The template that names a record: the declared one, else the title field alone; null if there is neither. */
    public TitleTemplate titleTemplate() {
        return title != null ? title : titleField == null ? null : new TitleTemplate("{" + titleField + "}");
    }

    public List<RuleDefinition> rules(RuleKind kind) {
        return rules.stream().filter(r -> r.kind() == kind).toList();
    }

    /** The field named by {@link #readAccessFrom}, if the entity has one. */
    public Optional<FieldDefinition> readAccessField() {
        return readAccessFrom == null ? Optional.empty() : field(readAccessFrom);
    }

    public Optional<FieldDefinition> field(String fieldName) {
        return Optional.ofNullable(((NamedFields) fields).named(fieldName));
    }

    public List<FieldDefinition> listedFields() {
        return fields.stream().filter(FieldDefinition::listed).toList();
    }

    public List<FieldDefinition> searchableFields() {
        return fields.stream().filter(FieldDefinition::searchable).toList();
    }
}
