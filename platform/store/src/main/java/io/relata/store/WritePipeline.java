package io.relata.store;

import io.relata.api.model.AutoNumber;
import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.ValidationException;
import io.relata.api.rules.RecordRules;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleOutcome;
import io.relata.api.security.FieldAccess;
import io.relata.store.access.Operation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Everything a create, update or replace decides before its SQL runs, and the same for a form that is only
 * being filled in ({@link #preview}): the steps of decision records 0003 ("Rules in the write path") and 0005.
 * In order:
 * <ol>
 *   <li>{@link #convert}: the writer's input is converted and checked field by field (outside the
 *       transaction);</li>
 *   <li>the record as it will be stored is merged from the stored one and the input;</li>
 *   <li>the entity's rules judge the writer's record: read-only-when fields are put back, defaults fill empty
 *       fields of a new record, computed and score values are set, validations report;</li>
 *   <li>the {@link RecordWriteHook} (processes) checks the write and sets further values: set-field actions
 *       and automatic phase moves. A field the writer changed keeps the writer's value unless the action is
 *       forced (the hook's business, told by {@link RecordWriteHook.Check#changed}); guards and conditions see
 *       computed values through {@link RecordWriteHook.Check#derived};</li>
 *   <li>if the hook changed anything, the rules run once more on the final record: computed and score values
 *       and the validations are those of what is stored, never of a record before the process acted;</li>
 *   <li>read-only, required, reference and unique checks, every problem in one {@link ValidationException}.</li>
 * </ol>
 * The caller writes the row, its audit entry and calls {@link RecordWriteHook#written}. New steps (effects on
 * other records) belong between 4 and 5, so that what they set is judged by the final rules too.
 */
final class WritePipeline {

    private final ValueConverter converter;
    private final RecordRules rules;
    private final RecordWriteHook hook;
    /** The store's dialect, asked once by the store: numbering a field must not ask the database per write. */
    private final java.util.function.Supplier<SqlDialect> dialect;

    /** The store's clock: the year of a number counted per year. */
    private final Clock clock;

    WritePipeline(ValueConverter converter, RecordRules rules, RecordWriteHook hook,
                  java.util.function.Supplier<SqlDialect> dialect, Clock clock) {
        this.clock = clock;
        this.converter = converter;
        this.rules = rules;
        this.hook = hook;
        this.dialect = dialect;
    }

    /**
     * The writer's input after step 1.
     *
     * @param raw      what the writer sent (its keys tell a replace's implicit empty fields from given ones)
     * @param given    converted values of fields the writer may change
     * @param readOnly converted values of read-only and rule-written fields, to compare with stored and final ones
     * @param errors   what was wrong with the input; the pipeline adds to it
     */
    record Input(Map<String, Object> raw, Map<String, Object> given, Map<String, Object> readOnly, List<FieldError> errors) {
    }

    /**
     * What a write stores.
     *
     * @param row      every field's final value (for an update: the stored record with the changes)
     * @param note     what the hook noted for its {@link RecordWriteHook#written}
     * @param settings values the hook set that differ from what the record would otherwise have had
     */
    record Prepared(Map<String, Object> row, Object note, List<Setting> settings) {
    }

    /** A value the hook set in a write (see {@link AutomaticChange}, which adds the record). */
    record Setting(String field, Object previous, Object value, String by) {

        AutomaticChange of(String entity, long id) {
            return new AutomaticChange(entity, id, field, previous, value, by);
        }
    }

    /** What a form would store: the rules' outcome on the final record and what the hook would set. */
    record Preview(RuleOutcome outcome, List<Setting> settings) {
    }

    // ---- step 1 ----

    /**
     * Converts the given values of editable fields; unknown, system, hidden and bad values become errors.
     * Values of read-only fields and of fields only rules write go to {@code readOnly} (converted without
     * their limits: they are compared with the stored ones, not stored); a value that does not convert for a
     * rule-written field is {@code read_only_field}, since no value of the user's is accepted there anyway.
     */
    Input convert(EntityDefinition entity, Map<String, Object> values, AccessGuard guard) {
        Map<String, Object> raw = values == null ? Map.of() : values;
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> given = new LinkedHashMap<>();
        Map<String, Object> readOnly = new LinkedHashMap<>();
        Set<String> systemWritten = RuleFields.systemWritten(entity);
        for (Map.Entry<String, Object> entry : raw.entrySet()) {
            String name = entry.getKey();
            if (Names.isSystemColumn(name)) {
                errors.add(new FieldError(name, ErrorCodes.READ_ONLY_FIELD, LocalizedText.format("{0} setzt das System;"
                        + " es kann nicht als Wert angegeben werden", "{0} is set by the system and cannot be given as a"
                        + " value", name)));
                continue;
            }
            Optional<FieldDefinition> field = entity.field(name);
            if (field.isEmpty()) {
                errors.add(new FieldError(name, ErrorCodes.UNKNOWN_FIELD, LocalizedText.format("{0} hat kein Feld '{1}'",
                        "{0} has no field '{1}'", entity.name(), name)));
                continue;
            }
            FieldAccess access = guard.fieldAccess(entity, name);
            if (access == FieldAccess.HIDDEN) {
                errors.add(readOnlyError(entity, name)); // not converted: a conversion error would tell the field's type
                continue;
            }
            boolean ruleWritten = systemWritten.contains(name);
            try {
                if (access == FieldAccess.READ_ONLY || ruleWritten) {
                    readOnly.put(name, converter.convertWithoutLimits(field.get(), entry.getValue()));
                } else {
                    given.put(name, converter.convert(field.get(), entry.getValue()));
                }
            } catch (InvalidValueException e) {
                errors.add(ruleWritten ? readOnlyError(entity, name) : e.toFieldError(name));
            }
        }
        return new Input(raw, given, readOnly, errors);
    }

    /**
     * Form values converted leniently: a value that does not convert counts as empty (its limits are not
     * checked: the save reports them); unknown, hidden and rule-written or numbered fields are ignored.
     */
    Map<String, Object> convertLeniently(EntityDefinition entity, Map<String, Object> rawValues, AccessGuard guard) {
        Set<String> systemWritten = RuleFields.systemWritten(entity);
        Map<String, Object> typed = new LinkedHashMap<>();
        if (rawValues == null) {
            return typed;
        }
        rawValues.forEach((name, raw) -> {
            Optional<FieldDefinition> field = entity.field(name).filter(f -> !Names.isSystemColumn(f.name()));
            if (field.isEmpty() || systemWritten.contains(name) || guard.fieldAccess(entity, name) == FieldAccess.HIDDEN) {
                return;
            }
            Object value;
            try {
                value = converter.convertWithoutLimits(field.get(), raw);
            } catch (InvalidValueException e) {
                value = null;
            }
            typed.put(name, value);
        });
        return typed;
    }

    // ---- steps 2 to 6 ----

    /**
     * Steps 2 to 6 of a write inside its transaction.
     *
     * @param current the stored record (read under the read scope, update scope and version checked); null on create
     * @param replace true: fields the writer did not give are emptied, except read-only and rule-written ones
     * @throws ValidationException with every problem found; nothing is written then
     */
    Prepared prepare(Connection c, MetadataModel model, EntityDefinition entity, Input input, Record current,
                     boolean replace, AccessGuard guard) throws SQLException {
        List<FieldError> errors = input.errors();
        Map<String, Object> row = new LinkedHashMap<>();
        for (FieldDefinition field : JdbcRecordStore.fields(entity)) {
            row.put(field.name(), current == null ? null : current.get(field.name()));
        }
        if (replace) {
            Set<String> systemWritten = RuleFields.systemWritten(entity);
            for (FieldDefinition field : JdbcRecordStore.fields(entity)) {
                if (!input.raw().containsKey(field.name()) && !systemWritten.contains(field.name())
                        && guard.fieldAccess(entity, field.name()) == FieldAccess.EDITABLE) {
                    row.put(field.name(), null);
                }
            }
        }
        row.putAll(input.given());
        Decided decided = decide(c, model, entity, row, input.raw().keySet(), input.given(), current, errors, guard);

        checkReadOnly(entity, input.readOnly(), current, row, errors);
        checkRetiredOptions(entity, row, current, errors);
        checkRequired(entity, row, decided.required(), errors);
        checkReferences(c, model, entity, input.given(), errors, guard);
        Map<String, Object> setBySystem = new LinkedHashMap<>(decided.ruleValues());
        setBySystem.putAll(decided.hooked());
        checkReferences(c, model, entity, setBySystem, errors, AccessGuard.NONE);
        Set<String> unique = new LinkedHashSet<>(input.given().keySet());
        unique.addAll(setBySystem.keySet());
        checkUnique(c, entity, unique, row, current == null ? null : current.id(), errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        number(c, entity, row);
        return new Prepared(row, decided.note(), decided.settings());
    }

    /**
     * Steps 2 to 5 for form values, nothing written and nothing refused: the rules' outcome on the record as
     * a save would store it (process actions and automatic moves applied), and what the hook would set.
     *
     * @param typed leniently converted form values ({@link #convertLeniently})
     */
    Preview preview(Connection c, MetadataModel model, EntityDefinition entity, Map<String, Object> typed,
                    Record current, AccessGuard guard) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (FieldDefinition field : JdbcRecordStore.fields(entity)) {
            row.put(field.name(), current == null ? null : current.get(field.name()));
        }
        row.putAll(typed);
        Decided decided = decide(c, model, entity, row, typed.keySet(), typed, current, new ArrayList<>(), guard);
        RuleOutcome outcome = decided.outcome();
        List<FieldError> errors = new ArrayList<>(outcome.errors());
        Map<String, Object> values = ruleValues(entity, outcome, errors);
        return new Preview(new RuleOutcome(values, errors, outcome.visible(), outcome.required(), outcome.readOnly()),
                decided.settings());
    }

    /**
     * What steps 3 to 5 decided.
     *
     * @param ruleValues the values the rules set (final pass)
     * @param required   the fields the rules require now (final pass)
     * @param outcome    the rules' outcome on the final record
     * @param hooked     the values the hook set
     */
    private record Decided(Map<String, Object> ruleValues, Set<String> required, RuleOutcome outcome,
                           Map<String, Object> hooked, Object note, List<Setting> settings) {
    }

    /** Steps 3 to 5 on {@code row}, which ends up as the record to store. */
    private Decided decide(Connection c, MetadataModel model, EntityDefinition entity, Map<String, Object> row,
                           Set<String> inputFields, Map<String, Object> given, Record current, List<FieldError> errors,
                           AccessGuard guard) throws SQLException {
        RuleInput.RecordLookup lookup = lookup(c, model, guard);
        Applied first = applyRules(entity, row, inputFields, current, guard, lookup);
        errors.addAll(first.withdrawn());
        errors.addAll(first.errors());

        Set<String> changed = new LinkedHashSet<>();
        given.forEach((field, value) -> {
            if (!first.restored().contains(field) && !JdbcRecordStore.sameValue(value, current == null ? null : current.get(field))) {
                changed.add(field);
            }
        });
        Map<String, Object> beforeHook = new LinkedHashMap<>(row);
        Map<String, Object> hooked = new LinkedHashMap<>();
        Map<String, String> hookedBy = new LinkedHashMap<>();
        Object[] note = new Object[1];
        UnaryOperator<Map<String, Object>> derive = tentative -> derive(entity, tentative, current, guard, lookup);
        hook.checking(new RecordWriteHook.Check(c, model, entity, current, Collections.unmodifiableMap(row),
                guard.actor(), lookup, errors, Collections.unmodifiableSet(changed), (field, value, by) -> {
                    row.put(field, value);
                    hooked.put(field, value);
                    if (by != null) {
                        hookedBy.put(field, by);
                    }
                }, derive, n -> note[0] = n));

        List<Setting> settings = new ArrayList<>();
        hooked.forEach((field, value) -> {
            if (!JdbcRecordStore.sameValue(beforeHook.get(field), row.get(field))) {
                settings.add(new Setting(field, beforeHook.get(field), row.get(field), hookedBy.get(field)));
            }
        });
        if (settings.isEmpty()) {
            return new Decided(first.values(), first.required(), first.outcome(), hooked, note[0], settings);
        }
        // The hook changed the record: computed values, scores and validations are those of the final record.
        Set<FieldError> firstErrors = Collections.newSetFromMap(new IdentityHashMap<>());
        firstErrors.addAll(first.errors());
        errors.removeIf(firstErrors::contains);
        Pass last = pass(entity, row, current, guard, lookup);
        row.putAll(last.values());
        errors.addAll(last.errors());
        Map<String, Object> ruleValues = new LinkedHashMap<>(first.values());
        ruleValues.putAll(last.values());
        return new Decided(ruleValues, last.outcome().required(), last.outcome(), hooked, note[0], settings);
    }

    /** {@code tentative} with the values the rules give it (errors are the final pass's business). */
    private Map<String, Object> derive(EntityDefinition entity, Map<String, Object> tentative, Record current,
                                       AccessGuard guard, RuleInput.RecordLookup lookup) {
        Map<String, Object> derived = new LinkedHashMap<>(tentative);
        if (RuleFields.owned(entity).isEmpty() && (current != null || RuleFields.defaulted(entity).isEmpty())) {
            return derived;
        }
        derived.putAll(pass(entity, derived, current, guard, lookup).values());
        return derived;
    }

    // ---- rules ----

    /** One run of the rules on {@code row}: the values to set (defaults only where they apply) and their errors. */
    private record Pass(Map<String, Object> values, List<FieldError> errors, RuleOutcome outcome) {
    }

    private Pass pass(EntityDefinition entity, Map<String, Object> row, Record current, AccessGuard guard,
                      RuleInput.RecordLookup lookup) {
        Map<String, Object> previous = current == null ? null : Collections.unmodifiableMap(current.values());
        RuleOutcome outcome = rules.evaluate(new RuleInput(entity, Collections.unmodifiableMap(new LinkedHashMap<>(row)),
                previous, guard.actor(), lookup, current == null ? null : current.id()));
        if (outcome == null) {
            outcome = RuleOutcome.NONE;
        }
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> proposed = ruleValues(entity, outcome, errors);
        Set<String> defaults = RuleFields.defaulted(entity);
        Map<String, Object> set = new LinkedHashMap<>();
        proposed.forEach((field, value) -> {
            if (!defaults.contains(field) || (current == null && row.get(field) == null)) {
                set.put(field, value);
            }
        });
        errors.addAll(outcome.errors());
        return new Pass(set, errors, outcome);
    }

    /**
     * What {@link #applyRules} decided: values the rules set, fields they require, read-only-when fields put
     * back, errors about the input withdrawn from them, and the rules' errors.
     */
    private record Applied(Map<String, Object> values, Set<String> required, Set<String> restored,
                           List<FieldError> withdrawn, List<FieldError> errors, RuleOutcome outcome) {
    }

    /**
     * Runs the entity's rules on {@code row} (the record as the writer wants it) and applies their outcome:
     * <ol>
     *   <li>values of computed and score rules (and score reasons) are set, whatever was given; a default
     *       only on create and only if the field is empty. Each is converted like input; one that does not
     *       fit its field is a {@code rule_value} error naming the rule;</li>
     *   <li>a field the rules make read-only ({@code readOnlyWhen}) may not be changed by the input: its
     *       stored value is put back (create: it is emptied) and the rules run again on that record, so they
     *       judge only values that will be stored and a default can fill it in. If the input gave it a value
     *       other than the final one, that is {@code read_only_field}; a replace that left it out simply keeps
     *       it ({@code restored});</li>
     *   <li>the rules' validation errors (code {@code rule}) are returned.</li>
     * </ol>
     * A {@link io.relata.api.rules.RuleFailedException} passes through: the caller's transaction rolls back.
     *
     * @param inputFields the field names the caller gave (to tell a replace's implicit null from a given one)
     */
    private Applied applyRules(EntityDefinition entity, Map<String, Object> row, Set<String> inputFields, Record current,
                               AccessGuard guard, RuleInput.RecordLookup lookup) {
        Set<String> restored = new LinkedHashSet<>();
        Map<String, Object> withdrawn = new LinkedHashMap<>(); // read-only-when field -> the value the input had
        while (true) {
            Pass pass = pass(entity, row, current, guard, lookup);
            Set<String> restore = new LinkedHashSet<>();
            for (String field : pass.outcome().readOnly()) {
                if (pass.values().containsKey(field) || entity.field(field).isEmpty() || Names.isSystemColumn(field)) {
                    continue;
                }
                if (!JdbcRecordStore.sameValue(row.get(field), current == null ? null : current.get(field))) {
                    restore.add(field);
                }
            }
            if (!restore.isEmpty()) { // each pass restores at least one more field, so this ends
                for (String field : restore) {
                    withdrawn.putIfAbsent(field, row.get(field));
                    row.put(field, current == null ? null : current.get(field));
                }
                restored.addAll(restore);
                continue;
            }
            row.putAll(pass.values());
            List<FieldError> refused = new ArrayList<>();
            withdrawn.forEach((field, value) -> {
                if (inputFields.contains(field) && !JdbcRecordStore.sameValue(value, row.get(field))) {
                    refused.add(new FieldError(field, ErrorCodes.READ_ONLY_FIELD, LocalizedText.format("Sie dürfen {0} jetzt"
                            + " nicht ändern: die Regeln machen es schreibgeschützt", "You may not change {0} now: the"
                            + " rules make it read-only", label(entity, field))));
                }
            });
            return new Applied(pass.values(), pass.outcome().required(), restored, refused, pass.errors(), pass.outcome());
        }
    }

    /** The outcome's values converted for their fields; unknown fields and values that do not fit are errors. */
    private Map<String, Object> ruleValues(EntityDefinition entity, RuleOutcome outcome, List<FieldError> errors) {
        Map<String, Object> values = new LinkedHashMap<>();
        outcome.values().forEach((name, raw) -> {
            Optional<FieldDefinition> field = entity.field(name).filter(f -> !Names.isSystemColumn(f.name()));
            if (field.isEmpty()) {
                errors.add(new FieldError(name, ErrorCodes.RULE_VALUE, LocalizedText.format("Die Regeln setzen einen Wert für"
                        + " '{0}', das kein Feld von {1} ist; ein Administrator muss sie korrigieren", "The rules set a"
                        + " value for '{0}', which is not a field of {1}; an administrator must fix them", name,
                        entity.name())));
                return;
            }
            try {
                values.put(name, converter.convert(field.get(), RuleFields.prepare(field.get(), raw)));
            } catch (InvalidValueException e) {
                errors.add(new FieldError(name, ErrorCodes.RULE_VALUE, LocalizedText.format("Der Wert, den {0} für {1}"
                        + " berechnet hat, passt nicht in das Feld ({2}); ein Administrator muss die Regel korrigieren",
                        "The value {0} computed for {1} does not fit the field ({2}); an administrator must fix the rule",
                        RuleFields.describeSetter(entity, name), field.get().label(), e.text())));
            }
        });
        return values;
    }

    /** What rules read related records with ({@link RuleLookup}): the write's connection, the guard's read scope. */
    static RuleInput.RecordLookup lookup(Connection c, MetadataModel model, AccessGuard guard) {
        return new RuleLookup(c, model, guard);
    }

    // ---- step 6 ----

    /**
     * A read-only or rule-written field may be given only with the value it has ({@code current} null: a
     * new record) or the value it will have ({@code row}: what the rules set), so a client may send back a
     * record it read.
     */
    private static void checkReadOnly(EntityDefinition entity, Map<String, Object> readOnly, Record current, Map<String, Object> row,
                                      List<FieldError> errors) {
        for (Map.Entry<String, Object> entry : readOnly.entrySet()) {
            Object stored = current == null ? null : current.get(entry.getKey());
            if (!JdbcRecordStore.sameValue(stored, entry.getValue())
                    && !JdbcRecordStore.sameValue(row.get(entry.getKey()), entry.getValue())) {
                errors.add(readOnlyError(entity, entry.getKey()));
            }
        }
    }

    /**
     * A retired option ({@code active: false}) stays on the records that hold it but is not a new value: refused
     * where the record to store holds one its stored version did not (any on create), whoever set it (the writer,
     * a rule or a process). Re-saving a record that keeps it, or a multi-choice that keeps it among others, passes.
     */
    private static void checkRetiredOptions(EntityDefinition entity, Map<String, Object> row, Record current,
                                            List<FieldError> errors) {
        for (FieldDefinition field : JdbcRecordStore.fields(entity)) {
            if ((field.type() != FieldType.CHOICE && field.type() != FieldType.MULTI_CHOICE)
                    || field.options().stream().allMatch(ChoiceOption::active)) {
                continue;
            }
            List<String> held = optionValues(current == null ? null : current.get(field.name()));
            List<String> retired = optionValues(row.get(field.name())).stream()
                    .filter(value -> !held.contains(value))
                    .filter(value -> field.option(value).map(o -> !o.active()).orElse(false))
                    .toList();
            if (!retired.isEmpty()) {
                String offered = field.options().stream().filter(ChoiceOption::active).map(ChoiceOption::value)
                        .collect(java.util.stream.Collectors.joining(", "));
                errors.add(new FieldError(field.name(), ErrorCodes.RETIRED_OPTION, LocalizedText.format(
                        "'{0}' wird nicht mehr angeboten; wählen Sie aus: {1}",
                        "'{0}' is no longer offered; choose from: {1}", String.join("', '", retired), offered)));
            }
        }
    }

    /** The option values of a choice (text) or multi-choice (list) value; empty for none. */
    private static List<String> optionValues(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(value.toString());
    }

    static FieldError readOnlyError(EntityDefinition entity, String field) {
        return new FieldError(field, ErrorCodes.READ_ONLY_FIELD, LocalizedText.format("Sie dürfen {0} nicht ändern",
                "You may not change {0}", label(entity, field)));
    }

    /** The field's label, or its name if the entity has no such field. */
    private static Object label(EntityDefinition entity, String field) {
        return entity.field(field).<Object>map(FieldDefinition::label).orElse(field);
    }

    /**
     * Gives each {@code autoNumber} field the record lacks its next number: a new record, or one stored before the
     * field was numbered. Last, after every check, so that a refused write uses up no number (and holds a gapless
     * counter's lock no longer than needed).
     */
    private void number(Connection c, EntityDefinition entity, Map<String, Object> row) throws SQLException {
        for (FieldDefinition field : JdbcRecordStore.fields(entity)) {
            if (field.autoNumber() == null || row.get(field.name()) != null) {
                continue;
            }
            AutoNumber numbering = field.autoNumber();
            String table = Names.table(entity.name());
            if (numbering.gapless()) {
                int year = numbering.perYear() ? LocalDate.now(clock.withZone(ZoneId.systemDefault())).getYear() : 0;
                long counter = NumberCounters.next(c, dialect.get(), NumberCounters.name(table, field.name()), year);
                row.put(field.name(), numbering.format(year, counter));
                continue;
            }
            String sequence = Names.sequence(table, field.name());
            try (var statement = c.createStatement(); var rs = statement.executeQuery(dialect.get().nextValue(sequence))) {
                rs.next();
                row.put(field.name(), numbering.format(rs.getLong(1)));
            }
        }
    }

    /** Required fields and those the rules require now ({@code requiredWhen}) must have a value in {@code row}. */
    private static void checkRequired(EntityDefinition entity, Map<String, Object> row, Set<String> requiredWhen,
                                      List<FieldError> errors) {
        Set<String> failed = new HashSet<>();
        errors.forEach(e -> failed.add(e.field()));
        for (FieldDefinition field : JdbcRecordStore.fields(entity)) {
            // a numbered field gets its number after the checks
            boolean required = field.autoNumber() == null && (field.required() || requiredWhen.contains(field.name()));
            if (required && !failed.contains(field.name()) && row.get(field.name()) == null) {
                errors.add(new FieldError(field.name(), ErrorCodes.REQUIRED, LocalizedText.format("Geben Sie einen Wert für"
                        + " {0} ein; das Feld ist ein Pflichtfeld", "Enter a value for {0}; it is required", field.label())));
            }
        }
    }

    /** Each reference and record-link must point to a record that exists and that the caller may read. */
    private static void checkReferences(Connection c, MetadataModel model, EntityDefinition entity,
                                        Map<String, Object> values, List<FieldError> errors, AccessGuard guard)
            throws SQLException {
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            FieldDefinition field = entity.field(entry.getKey()).orElseThrow();
            if (field.type() == FieldType.RECORD_LINK && entry.getValue() instanceof RecordLink link) {
                java.util.Optional<EntityDefinition> target = model.entity(link.entity());
                // an entity the caller cannot read is as absent as one that does not exist
                if (target.isEmpty() || JdbcRecordStore.select(c, target.get(), link.id(),
                        guard.rows(target.get(), Operation.READ)).isEmpty()) {
                    errors.add(new FieldError(field.name(), ErrorCodes.REFERENCE_NOT_FOUND, LocalizedText.format("Es gibt"
                            + " keinen Datensatz {0} mit der ID {1}; wählen Sie einen vorhandenen", "There is no {0} with id"
                            + " {1}; pick an existing record", link.entity(), link.id())));
                }
                continue;
            }
            if (field.type() != FieldType.REFERENCE || entry.getValue() == null) {
                continue;
            }
            EntityDefinition target = JdbcRecordStore.entity(model, field.referenceEntity());
            if (JdbcRecordStore.select(c, target, (Long) entry.getValue(), guard.rows(target, Operation.READ)).isEmpty()) {
                errors.add(new FieldError(field.name(), ErrorCodes.REFERENCE_NOT_FOUND, LocalizedText.format("Es gibt"
                        + " kein(e) {0} mit der ID {1}; wählen Sie einen vorhandenen Datensatz", "There is no {0} with id"
                        + " {1}; pick an existing one", target.label(), entry.getValue())));
            }
        }
    }

    /** No other record may hold the final value of a unique field among {@code fields}. */
    private static void checkUnique(Connection c, EntityDefinition entity, Set<String> fields, Map<String, Object> row,
                                    Long ownId, List<FieldError> errors) throws SQLException {
        for (String name : fields) {
            FieldDefinition field = entity.field(name).orElseThrow();
            Object value = row.get(name);
            if (!field.unique() || value == null) {
                continue;
            }
            Sql sql = new Sql().append("SELECT 1 FROM " + JdbcRecordStore.table(entity) + " WHERE "
                    + Names.quote(field.name()) + " = ").param(field.type(), value);
            if (ownId != null) {
                sql.append(" AND " + Names.quote(Names.ID) + " <> ").param(FieldType.INTEGER, ownId);
            }
            sql.append(" FETCH FIRST 1 ROWS ONLY");
            try (PreparedStatement statement = sql.prepare(c); ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    errors.add(JdbcRecordStore.uniqueError(entity, field));
                }
            }
        }
    }
}
