package io.relata.metadata;

/**
 * The stable codes of {@link MetadataProblem}s. Codes never change meaning; new ones may be added. The
 * admin reference (docs/metadata.md) lists them with examples.
 */
public enum ProblemCode {
    /** A metadata directory given to the platform does not exist. */
    METADATA_DIRECTORY_MISSING,
    /** A metadata file exists but could not be read. */
    METADATA_FILE_UNREADABLE,
    /** The file is empty or holds only comments. */
    EMPTY_FILE,
    /** The text is not valid YAML. */
    YAML_SYNTAX,
    /** A key appears twice in the same mapping. */
    DUPLICATE_KEY,
    /** A required key is missing. */
    MISSING_KEY,
    /** A key that the format does not know. */
    UNKNOWN_KEY,
    /** A value of the wrong kind (text instead of true/false), an invalid name, a number out of range. */
    INVALID_VALUE,
    /** Any other violation of the JSON Schema. */
    SCHEMA_VIOLATION,
    /** A field's {@code type} is not one of the known types. */
    UNKNOWN_FIELD_TYPE,
    /** The entity {@code name} differs from the file name. */
    ENTITY_NAME_MISMATCH,
    /** Two files define an entity of the same name. */
    DUPLICATE_ENTITY,
    /** A field uses a name reserved for system columns (id, version, created_at, updated_at, owner_user, owner_team). */
    RESERVED_FIELD_NAME,
    /** A reference field names an entity that does not exist. */
    UNKNOWN_REFERENCE_TARGET,
    /** {@code titleField} names a field that does not exist. */
    UNKNOWN_TITLE_FIELD,
    /** {@code titleField} names a field whose type is not textual. */
    TITLE_FIELD_NOT_TEXTUAL,
    /** Two options of a choice field have the same value. */
    OPTION_DUPLICATE,
    /** A type-specific key on a field of another type (options on text, entity on integer, …). */
    KEY_NOT_ALLOWED_FOR_TYPE,
    /** {@code searchable: true} on a field whose type cannot be searched as text. */
    NOT_SEARCHABLE_TYPE,
    /** Two references to the same entity use the same reverse list name. */
    DUPLICATE_REVERSE_LIST,
    /** The role {@code name} differs from the file name. Since 0.2. */
    ROLE_NAME_MISMATCH,
    /** Two files define a role of the same name. Since 0.2. */
    DUPLICATE_ROLE,
    /** A role grants access to an entity that does not exist. Since 0.2. */
    UNKNOWN_GRANT_ENTITY,
    /** A role's grant names a field that its entity does not have. Since 0.2. */
    UNKNOWN_GRANT_FIELD,
    /** A grant's update or delete scope is wider than its read scope. Since 0.2. */
    WIDER_THAN_READ,
    /** A role with {@code administrator: true} also lists {@code entities}. Since 0.2. */
    ADMINISTRATOR_WITH_GRANTS,
    /** A rule's {@code file:} names a script that does not exist next to the entity file. Since 0.3. */
    RULE_FILE_MISSING,
    /** Two rules of one entity have the same name. Since 0.3. */
    DUPLICATE_RULE,
    /** An entity-level rule has neither or both of {@code validation} and {@code score}. Since 0.3. */
    RULE_KIND_MISSING_OR_AMBIGUOUS,
    /**
     * A score rule without {@code field}, or whose {@code field} is not an integer or decimal field, or whose
     * {@code reasonsField} is not a text or long-text field; {@code field}/{@code reasonsField} on a
     * validation. Since 0.3.
     */
    SCORE_FIELD_INVALID,
    /** A field-level rule on a field whose type it cannot work with ({@code requiredWhen} on a boolean). Since 0.3. */
    RULE_ON_WRONG_FIELD_TYPE,
    /**
     * Rules that contradict each other on one field: two rules set it (computed, default, score), or a
     * condition that can never matter (requiredWhen or readOnlyWhen on a field set by a rule, requiredWhen on
     * a field with {@code required: true}). Since 0.3.
     */
    CONFLICTING_RULES,
    /** A rule whose script is empty or blank. Since 0.3. */
    EMPTY_RULE,
    /** An example names a field the entity does not have (in record, previous or expect). Since 0.3. */
    UNKNOWN_EXAMPLE_FIELD,
    /**
     * An example's {@code expect} has an unknown key, expects nothing, contradicts itself, or expects a score
     * without exactly one score rule. Since 0.3.
     */
    EXAMPLE_EXPECT_INVALID
}
