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
    /**
     * Keys written too far left: they do not fit the mapping they stand in but fit the one that ends just above
     * them. Reported once per run of such keys, which are then read as if indented correctly. Since 0.5.
     */
    KEY_INDENTATION,
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
    /** An extension ({@code extensions/*.yaml}) names an entity no earlier layer defines. Since 0.4. */
    EXTENDS_UNKNOWN_ENTITY,
    /** A role extension ({@code role-extensions/*.yaml}) names a role no earlier layer defines. Since 0.8. */
    EXTENDS_UNKNOWN_ROLE,
    /** A form layout file ({@code forms/*.yaml}) names another entity than its file name. Since 0.8. */
    FORM_NAME_MISMATCH,
    /**
     * A form layout names an entity, field, role or related list that does not exist, places a field twice, repeats
     * a layout name, gives one role two layouts or has two layouts for everyone. Since 0.8.
     */
    FORM_INVALID,
    /** A customer view file ({@code views/*.yaml}) names another entity than its file name. Since 0.9. */
    VIEW_NAME_MISMATCH,
    /**
     * A customer view names an entity, role, field, related list, option or measure that does not exist or does not
     * fit, repeats a panel or figure name, or gives a panel a key its kind does not take. Since 0.9.
     */
    VIEW_INVALID,
    /** A dashboard file ({@code dashboards/*.yaml}) has another name than its file. Since 0.11. */
    DASHBOARD_NAME_MISMATCH,
    /**
     * A dashboard names an entity, process, role, field, option or measure that does not exist or does not fit,
     * repeats a widget name, or asks a chart for keys it cannot show (a pie of two keys). Since 0.11.
     */
    DASHBOARD_INVALID,
    /** An extension's {@code extends} differs from its file name. Since 0.4. */
    EXTENSION_NAME_MISMATCH,
    /**
     * An extension defines a field or an option that the entity already has (from its own file or an earlier
     * extension): a later layer may add, never redefine, retype or remove. Since 0.4.
     */
    DEFINED_BY_EARLIER_LAYER,
    /** An extension adds options to a field that is not a choice or multi-choice field, or that does not exist. Since 0.4. */
    OPTIONS_FOR_UNKNOWN_CHOICE,
    /**
     * An extension's {@code changes} or {@code fieldOrder} names a field the entity does not have (e.g. an upgrade
     * of the core or a plugin removed it). Since 0.8.
     */
    CHANGE_FOR_UNKNOWN_FIELD,
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
    EXAMPLE_EXPECT_INVALID,
    /**
     * An entity's examples were not run, because its file has other problems or rules of the entity do not
     * compile: they run, and may report more, once those are fixed. Since 0.5.
     */
    EXAMPLES_NOT_RUN,
    /** The process {@code name} differs from the file name. Since 0.4. */
    PROCESS_NAME_MISMATCH,
    /** The dialog {@code name} differs from the file name. Since 0.4. */
    DIALOG_NAME_MISMATCH,
    /** The mail template {@code name} differs from the file name. Since 0.4. */
    TEMPLATE_NAME_MISMATCH,
    /** Two files define a process of the same name. Since 0.4. */
    DUPLICATE_PROCESS,
    /**
     * A process or dialog file says {@code replaces: true}, but no earlier layer defines one of its name (an upgrade
     * removed it), or the replacement is about another entity (or, for a process, phase field) than the original.
     * Since 0.9.
     */
    REPLACES_NOTHING,
    /** Two files define a dialog of the same name. Since 0.4. */
    DUPLICATE_DIALOG,
    /** Two files define a mail template of the same name. Since 0.4. */
    DUPLICATE_TEMPLATE,
    /** A process, a dialog or a dialog's record to create names an entity that does not exist. Since 0.4. */
    UNKNOWN_ENTITY,
    /**
     * A process, dialog or template names a field its entity does not have: phaseField, requires, reasonField,
     * set, a recipient field, languageField, a dialog field, finish values. Since 0.4.
     */
    UNKNOWN_FIELD,
    /**
     * A named field exists but its type does not fit its use: a phaseField that is not a choice, a reasonField
     * that is not text, long-text or choice, a recipient field that is not email or text, a languageField that
     * is not choice or text. Since 0.4.
     */
    FIELD_TYPE_MISMATCH,
    /** Two phases of one process have the same name. Since 0.4. */
    DUPLICATE_PHASE,
    /** A phase of a process is not an option of the process's phase field. Since 0.4. */
    PHASE_NOT_AN_OPTION,
    /** An option of a phase field is a phase of no process of the entity that uses the field. Since 0.4. */
    OPTION_WITHOUT_PHASE,
    /** A transition, a move or a dialog's movePhase names a phase that the process does not have. Since 0.4. */
    UNKNOWN_PHASE,
    /** The same move (from, to) is written twice explicitly. Since 0.4. */
    DUPLICATE_TRANSITION,
    /** A reasonField on an open phase (reasons are asked only for closing phases). Since 0.4. */
    REASON_FIELD_ON_OPEN_PHASE,
    /** Two timers of one phase have the same name. Since 0.4. */
    DUPLICATE_TIMER,
    /** A timer's {@code after} or a to-do's {@code due} is not an ISO-8601 duration greater than zero. Since 0.4. */
    DURATION_INVALID,
    /** An action has none or several of todo, set, mail, webhook, extension, move; or a move in onLeave. Since 0.4. */
    ACTION_INVALID,
    /** A {@code move} action leads to a phase that no transition from its phase leads to. Since 0.4. */
    MOVE_WITHOUT_TRANSITION,
    /**
     * A value to set does not fit its field (text for a number, an unknown option, a bad date), empties a
     * required field, or sets the phase field or a computed field. Since 0.4.
     */
    SET_VALUE_INVALID,
    /** A mail action names a template that does not exist. Since 0.4. */
    UNKNOWN_TEMPLATE,
    /** A recipient names a role that does not exist. Since 0.4. */
    UNKNOWN_ROLE,
    /** A recipient has none or several kinds, or is a field or address for a to-do. Since 0.4. */
    RECIPIENT_INVALID,
    /** A process without appliesWhen comes before another process of the same entity, which then never applies. Since 0.4. */
    PROCESS_SHADOWED,
    /** Unbalanced or unsupported {{placeholders}}, or a placeholder naming an unknown field or value. Since 0.4. */
    PLACEHOLDER_INVALID,
    /** Two steps of one dialog have the same name. Since 0.4. */
    DUPLICATE_STEP,
    /** A dialog's {@code next} names a step that does not exist. Since 0.4. */
    UNKNOWN_STEP,
    /** A dialog step that no path from the first step reaches, or a branch after one that is always taken. Since 0.4. */
    UNREACHABLE_STEP,
    /**
     * A dialog field with neither or both of {@code field} and {@code name}, a dialog-only field without type
     * or label or named like an entity field, keys that do not fit the kind of field, a field asked twice in
     * one step, or one name with two types. Since 0.4.
     */
    DIALOG_FIELD_INVALID,
    /** A record to create on finish lacks a value for a required field without default. Since 0.4. */
    REQUIRED_VALUE_MISSING,
    /**
     * A field's {@code min} or {@code max} that is no value of its type (0.5 for an integer, more decimals than
     * the field keeps, a bad date), a {@code max} below the {@code min}, a {@code pattern} that is no valid
     * regular expression, or a {@code patternMessage} without {@code pattern}. Since 0.5.
     */
    LIMIT_INVALID,
    /** An example's value or a literal default outside its field's min/max, or not matching its pattern. Since 0.5. */
    VALUE_OUTSIDE_LIMITS,
    /** A step has a finish of its own, but the summary never follows that step. Since 0.5. */
    FINISH_NEVER_USED,
    /**
     * A rule, process guard or condition, set-field expression or dialog script reads {@code record.x} or
     * {@code previous.x} for a field x that the record it runs on does not have (it would always be
     * undefined). Since 0.5.
     */
    RULE_UNKNOWN_FIELD,
    /**
     * A rule or process script asks {@code related.count/exists/sum/min/max} about an entity that does not exist
     * (a literal name). Unknown fields in such calls are {@link #RULE_UNKNOWN_FIELD}. Since 0.6.
     */
    RULE_UNKNOWN_ENTITY,
    /**
     * A {@code dependsOn} path of a computed or score rule that names neither {@code reference.field} of a record
     * the entity references nor {@code entity.reference} pointing to it, or {@code dependsOn} without such a rule.
     * Since 0.6.
     */
    DEPENDS_ON_INVALID,
    /**
     * The model would leave no active user with administration rights (the administrator role lost
     * {@code administrator: true}, or its file was deleted): every later admin call, including the reload that
     * would repair it, would be refused. Since 0.7.
     */
    ADMINISTRATORS_LOCKED_OUT,
    /**
     * A file is larger than {@link MetadataLimits#maxFileBytes()}; reported where the limit is crossed. Since 0.7.
     */
    FILE_TOO_LARGE,
    /** One value of a file is longer than {@link MetadataLimits#maxScalarChars()}. Since 0.7. */
    SCALAR_TOO_LONG,
    /** A file uses more aliases ({@code *name}) than {@link MetadataLimits#maxAliases()}. Since 0.7. */
    YAML_TOO_MANY_ALIASES,
    /**
     * Lists and mappings nested deeper than {@link MetadataLimits#maxDepth()}, counting what aliases bring in.
     * Since 0.7.
     */
    YAML_TOO_DEEP,
    /** A file whose values, aliases expanded, are more than {@link MetadataLimits#maxNodes()}. Since 0.7. */
    YAML_TOO_LARGE,
    /**
     * A file that is not UTF-8 (Latin-1, UTF-16, a single invalid byte): reported at the first byte that is not.
     * Since 0.7.
     */
    FILE_NOT_UTF8,
    /** A NUL or another control character (other than tab, line feed and carriage return) in a file. Since 0.7. */
    CONTROL_CHARACTER,
    /** A process phase that no chain of transitions from the first phase reaches, so no record ever gets there. Since 0.7. */
    PHASE_UNREACHABLE,
    /** A dialog in which no path from the first step reaches the summary, so that it can never be finished. Since 0.7. */
    DIALOG_NEVER_FINISHES,
    /** A timer's {@code after} or a to-do's {@code due} longer than any process can wait (more than ten years). Since 0.7. */
    DURATION_TOO_LONG,

    // ---- schema changes that stored data contradicts (found when the model is applied to the database) --------

    /**
     * A field's type changed to another kind of value (text to date, integer to decimal) while records hold values
     * the database cannot convert. Reported at {@code type}. Since 0.6.
     */
    SCHEMA_TYPE_CHANGE_WITH_DATA,
    /** {@code unique: true} on a field whose stored values repeat. Reported at {@code unique}. Since 0.6. */
    SCHEMA_DUPLICATE_VALUES,
    /**
     * A reference now names another entity while records point to records of the old one. Reported at
     * {@code entity}. Since 0.6.
     */
    SCHEMA_REFERENCE_RETARGETED,
    /** A field became a reference while records hold values that match no record of the entity. Since 0.6. */
    SCHEMA_REFERENCE_VALUES_MISSING,
    /** {@code maxLength} lowered below stored values. Reported at {@code maxLength}. Since 0.6. */
    SCHEMA_VALUES_TOO_LONG,
    /** {@code precision} or {@code scale} lowered below stored values. Reported at that key. Since 0.6. */
    SCHEMA_VALUES_TOO_PRECISE,
    /**
     * An option removed (or a field made a choice) while records hold values that are no option. Reported at
     * {@code options}; the fix is to keep the option with {@code active: false}. Since 0.6.
     */
    SCHEMA_OPTION_IN_USE,
    /** A field became email while records hold values that are no email addresses. Since 0.6. */
    SCHEMA_VALUES_NOT_EMAIL,
    /** A field became phone while records hold values that are no phone numbers. Since 0.6. */
    SCHEMA_VALUES_NOT_PHONE,
    /** A field became url while records hold values that are no web addresses. Since 0.6. */
    SCHEMA_VALUES_NOT_URL,

    // ---- warnings: the metadata loads, but something will not work for some users --------------------------

    /**
     * Warning: a process assigns to-dos to users (the record's owner, or a role) whose roles cannot read the
     * to-do entity, so the to-do is invisible to its assignee. Since 0.5.
     */
    ASSIGNEE_CANNOT_READ,
    /**
     * Warning: a role may start a dialog (it may change the dialog's records) but not create the records the
     * dialog creates on finish, so its users cannot finish. Since 0.5.
     */
    FINISH_NOT_PERMITTED,
    /**
     * Warning: a phase requires a field (to enter and to stay in it) that the form hides in that phase
     * ({@code visibleWhen}): users editing such a record cannot fill in what they are asked for. Since 0.5.
     */
    PHASE_FIELD_HIDDEN,
    /**
     * Warning: a field a role would see is computed (by a computed, default or score rule, or a process's
     * set-field expression) from a field the role cannot see, so it is hidden for the role too. Since 0.5.
     */
    DERIVED_FIELD_HIDDEN,
    /** Warning: {@code showDerived} lists a field that is not computed from a field the role cannot see. Since 0.5. */
    SHOW_DERIVED_NOT_NEEDED,
    /**
     * Warning: a folder in a metadata directory that is no kind of metadata (e.g. {@code entitys}): its files are
     * not read. Since 0.7.
     */
    UNKNOWN_FOLDER,
    /**
     * Warning: a placeholder that renders, but not as its spelling suggests: triple braces {@code {{{x}}}} (no text
     * is HTML-escaped, so they only make a dialog's whole-value placeholder a text instead of the typed value).
     * Since 0.7.
     */
    PLACEHOLDER_STYLE,
    /**
     * A declared composite index ({@code indexes}) names {@code id} (every index ends with it), a field twice, or
     * repeats another index. Unknown fields are {@link #UNKNOWN_FIELD}, record-link and long-text fields
     * {@link #FIELD_TYPE_MISMATCH}. Since 0.7.
     */
    INDEX_INVALID
}
