package io.relata.process.dialog;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.DialogField;
import io.relata.api.process.DialogFinish;
import io.relata.api.process.DialogStep;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.record.AccessDeniedException;
import io.relata.api.record.ConcurrentUpdateException;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.record.RecordStore;
import io.relata.api.record.UnknownEntityException;
import io.relata.api.record.ValidationException;
import io.relata.api.rules.RecordRules;
import io.relata.api.rules.RuleInput;
import io.relata.api.security.Actor;
import io.relata.api.security.FieldAccess;
import io.relata.process.ProcessJson;
import io.relata.process.dialog.DialogException.Problem;
import io.relata.store.InvalidValueException;
import io.relata.store.JdbcTransactions;
import io.relata.store.SecuredRecordStore;
import io.relata.store.StoreException;
import io.relata.store.ValueConverter;
import io.relata.store.access.AccessPolicy;
import io.relata.store.access.Operation;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Runs guided dialogs for users, one {@link DialogSession} per user, dialog and record, kept in
 * {@code crm_dialog_session} so a user who leaves mid-way resumes at the same step with the same answers.
 *
 * <p>Lifecycle of a session: {@link #start} (or resume) → {@link #submitStep} per step, each converted,
 * checked (required fields, then the step's validation rule) and followed by the first branch whose
 * condition holds; {@link #back} to revisit → {@link #summary} → {@link #finish}, which writes everything in
 * one transaction or nothing; or {@link #abandon}. Only the user who started a session can see or continue
 * it; another user's session id is "not found".
 *
 * <p>Records are read and written only through the {@link RecordStore} given to the constructor, which must
 * be bound to the user the calls run for (the web module's {@link SecuredRecordStore}): the dialog never
 * lets a user see or change more than the store does. A secured store also lets {@link #start} refuse up
 * front a record the user may only see, and lets a step refuse changes to fields the user may only read.
 *
 * <p>Rules see {@code record} as the record's stored values overlaid with the answers of the steps answered
 * so far and the step being submitted (dialog-only fields included), {@code previous} as the stored record.
 *
 * <p>Thread-safe; create one per application (or per request, it holds no state of its own).
 */
public final class DialogRunner {

    /** Stored in {@code crm_dialog_session.step} while the summary is due (the column is not nullable). */
    static final String SUMMARY_STEP = "@summary";


    private final RecordStore records;
    private final JdbcTransactions transactions;
    private final SessionStore sessions;
    private final Supplier<MetadataModel> models;
    private final RecordRules rules;
    private final Clock clock;
    private final ValueConverter converter = new ValueConverter();

    /**
     * @param records      the user's record store (every read and write of the dialog goes through it)
     * @param transactions on the same data source as {@code records}, so the finish's writes and the session
     *                     commit together
     * @param models       the current metadata model, asked once per call
     * @param rules        runs the steps' validation rules and the branches' conditions
     * @param clock        for the sessions' timestamps
     */
    public DialogRunner(RecordStore records, JdbcTransactions transactions, Supplier<MetadataModel> models,
                        RecordRules rules, Clock clock) {
        this.records = Objects.requireNonNull(records, "records");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.sessions = new SessionStore(transactions);
        this.models = Objects.requireNonNull(models, "models");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ---- starting and resuming ----

    /**
     * Starts {@code dialog} on a record for {@code actor}, or returns their open session of it on that record
     * (resume). The record must be readable ({@link io.relata.api.record.RecordNotFoundException}) and, with a
     * secured store, within the user's update scope ({@link AccessDeniedException}). A new session is at the
     * first step, its answers the record's current values for the entity fields the dialog asks. An open
     * session that no longer fits a changed dialog definition is abandoned and a new one started.
     *
     * @throws DialogException {@code NOT_FOUND} for an unknown dialog or one of another entity,
     *                         {@code NOT_ALLOWED} if the dialog is for other roles or asks fields the user may
     *                         not see,
     *                         {@code BROKEN_DEFINITION} if the dialog cannot run
     */
    public DialogSession start(String dialog, String entity, long recordId, Actor actor) {
        Startable startable = startable(dialog, entity, recordId, actor);
        DialogDefinition definition = startable.definition();
        EntityDefinition entityDefinition = startable.entity();
        Record record = startable.record();

        Optional<SessionStore.Row> open = sessions.findOpen(dialog, entity, recordId, actor.username());
        if (open.isPresent()) {
            Stored stored = decode(open.get(), definition, entityDefinition);
            if (fits(stored.session(), definition)) {
                return stored.session();
            }
            save(stored, stored.session().step(), stored.session().path(), stored.session().answers(),
                    DialogState.ABANDONED, stored.recordVersion(), stored.base());
        }

        Map<String, Object> answers = new LinkedHashMap<>();
        Map<String, Object> base = new LinkedHashMap<>();
        for (DialogField field : fields(definition).values()) {
            Object value = field.recordField() ? record.get(field.name()) : null;
            answers.put(field.name(), value);
            if (field.recordField()) {
                base.put(field.name(), value);
            }
        }
        String first = definition.firstStep().name();
        OffsetDateTime now = now();
        SessionStore.Row row = new SessionStore.Row(0, dialog, entity, recordId, actor.system() ? null : actor.userId(),
                actor.username(), first, first, json(record.version(), base, answers), DialogState.OPEN.stored(), now,
                now, 1);
        long id = sessions.insert(row);
        return new DialogSession(id, dialog, entity, recordId, actor.username(), first, List.of(first), answers,
                DialogState.OPEN, now, now, 1);
    }

    /**
     * Checks what {@link #start} checks, and changes nothing: for a page that offers to start the dialog (opening a
     * page must not start or replace a session).
     *
     * @throws DialogException as {@link #start}
     */
    public void checkStart(String dialog, String entity, long recordId, Actor actor) {
        startable(dialog, entity, recordId, actor);
    }

    /**
     * The user's open session of {@code dialog} on the record if it can go on under the current definition, and
     * changes nothing ({@link #start} would abandon a session that no longer fits).
     */
    public Optional<DialogSession> resumable(String dialog, String entity, long recordId, Actor actor) {
        MetadataModel model = models.get();
        Optional<DialogDefinition> definition = model.dialog(dialog).filter(d -> d.entity().equals(entity));
        if (definition.isEmpty()) {
            return Optional.empty();
        }
        EntityDefinition entityDefinition = entity(model, definition.get());
        return sessions.findOpen(dialog, entity, recordId, actor.username())
                .map(row -> decode(row, definition.get(), entityDefinition).session())
                .filter(session -> fits(session, definition.get()));
    }

    private record Startable(DialogDefinition definition, EntityDefinition entity, Record record) {
    }

    private Startable startable(String dialog, String entity, long recordId, Actor actor) {
        MetadataModel model = models.get();
        DialogDefinition definition = model.dialog(dialog).orElseThrow(() -> new DialogException(Problem.NOT_FOUND,
                LocalizedText.format("Es gibt keinen Dialog '{0}' in den aktuellen Metadaten",
                        "No dialog named '{0}' in the current metadata", dialog)));
        if (!definition.entity().equals(entity)) {
            throw new DialogException(Problem.NOT_FOUND, LocalizedText.format("Der Dialog '{0}' läuft auf Datensätzen"
                    + " von {1}, nicht von {2}", "The dialog '{0}' runs on {1} records, not on {2} records", dialog,
                    definition.entity(), entity));
        }
        EntityDefinition entityDefinition = entity(model, definition);
        checkDefinition(model, definition, entityDefinition);
        checkActor(actor);
        Record record = records.get(entity, recordId);
        checkMayUpdate(definition, record);
        return new Startable(definition, entityDefinition, record);
    }

    /** The session, as its user left it. */
    public DialogSession session(long sessionId, Actor actor) {
        return load(sessionId, actor).session();
    }

    /** The user's open sessions, most recently used first (for "resume" links). */
    public List<DialogSession> openSessions(Actor actor) {
        MetadataModel model = models.get();
        List<DialogSession> open = new ArrayList<>();
        for (SessionStore.Row row : sessions.open(actor.username())) {
            DialogDefinition definition = model.dialog(row.dialog()).orElse(null);
            EntityDefinition entity = definition == null ? null : model.entity(definition.entity()).orElse(null);
            open.add(decode(row, entity == null ? null : definition, entity).session());
        }
        return open;
    }

    // ---- steps ----

    /**
     * Answers the step the session is at. {@code rawValues} are the step's fields as typed in a form or sent
     * as JSON (text, numbers, booleans, lists); a field left out keeps its current answer. On errors the
     * session is unchanged and the result carries them per field; otherwise the session moves to the next
     * step (the first branch whose condition holds, or one without condition) or to the summary, and is saved.
     *
     * @throws DialogException {@code WRONG_STEP} if the session is at another step, {@code NOT_OPEN},
     *                         {@code NOT_FOUND}, {@code DEFINITION_CHANGED}, {@code CHANGED_MEANWHILE}
     * @throws io.relata.api.rules.RuleFailedException if the step's validation or a branch condition fails to run
     */
    public StepResult submitStep(long sessionId, String stepName, Map<String, Object> rawValues, Actor actor) {
        MetadataModel model = models.get();
        Stored stored = load(sessionId, actor);
        DialogSession session = requireOpen(stored.session());
        DialogDefinition definition = definition(model, session);
        if (session.atSummary() || !session.step().equals(stepName)) {
            throw new DialogException(Problem.WRONG_STEP, LocalizedText.format("Dieser Dialog steht bei {0}, nicht beim"
                    + " Schritt '{1}'; laden Sie ihn neu, um dort weiterzumachen", "This dialog is at {0}, not at step"
                    + " '{1}'; reload it to continue where it stands", describePosition(definition, session), stepName));
        }
        DialogStep step = definition.step(stepName).orElseThrow();
        EntityDefinition entity = entity(model, definition);
        Record record = records.get(session.entity(), session.recordId());
        Judged judged = judge(definition, entity, record, session, step, rawValues, actor);
        if (!judged.errors().isEmpty()) {
            return new StepResult(session, judged.errors());
        }
        Map<String, Object> stepValues = judged.values();
        String next = judged.next();
        List<String> path = new ArrayList<>(session.path());
        if (next != null) {
            if (path.contains(next)) {
                throw broken(definition, "The dialog '" + definition.name()
                        + "' leads from step '" + stepName + "' back to step '" + next + "', which was answered "
                        + "already (" + where(step) + "); a dialog must not loop: lead to a later step or the summary");
            }
            path.add(next);
        }
        Map<String, Object> answers = new LinkedHashMap<>(session.answers());
        answers.putAll(stepValues);
        return new StepResult(save(stored, next, path, answers, DialogState.OPEN, stored.recordVersion(),
                stored.base()), List.of());
    }

    /** A step's answers judged: the typed values, or why they are refused; the step that follows (null: the summary). */
    record Judged(Map<String, Object> values, List<FieldError> errors, String next) {
    }

    /**
     * Judges the answers {@code rawValues} to {@code step} of {@code session} on {@code record}: converted, required
     * fields, fields the user may only read, readable references, the entity's own rules on the fields asked, the
     * step's validation; then the branch that decides the next step. Writes nothing: {@link #submitStep} and the
     * designer's {@link DialogPreview} both judge with it.
     */
    Judged judge(DialogDefinition definition, EntityDefinition entity, Record record, DialogSession session,
                 DialogStep step, Map<String, Object> rawValues, Actor actor) {
        Map<String, Object> raw = rawValues == null ? Map.of() : rawValues;

        List<FieldError> errors = new ArrayList<>();
        Set<String> asked = step.fields().stream().map(DialogField::name).collect(Collectors.toCollection(LinkedHashSet::new));
        for (String name : raw.keySet()) {
            if (!asked.contains(name)) {
                errors.add(new FieldError(name, ErrorCodes.UNKNOWN_FIELD, LocalizedText.format("Der Schritt '{0}' fragt"
                        + " nicht nach '{1}'; er fragt nach: {2}", "The step '{0}' does not ask for '{1}'; it asks for: {2}",
                        step.name(), name, String.join(", ", asked))));
            }
        }
        Map<String, Object> stepValues = new LinkedHashMap<>();
        AccessPolicy policy = policy();
        for (DialogField field : step.fields()) {
            FieldDefinition definitionOfField = field.definition();
            Object value;
            if (raw.containsKey(field.name())) {
                try {
                    value = converter.convert(definitionOfField, raw.get(field.name()));
                } catch (InvalidValueException e) {
                    errors.add(e.toFieldError(field.name()));
                    continue;
                }
            } else {
                value = session.answer(field.name());
            }
            if (value == null && definitionOfField.required()) {
                errors.add(new FieldError(field.name(), ErrorCodes.REQUIRED, LocalizedText.format("Geben Sie einen Wert"
                        + " für {0} ein; das Feld ist ein Pflichtfeld", "Enter a value for {0}; it is required",
                        label(definitionOfField))));
            }
            if (field.recordField() && policy != null && !same(value, record.get(field.name()))
                    && policy.fieldAccess(session.entity(), field.name()) != FieldAccess.EDITABLE) {
                errors.add(new FieldError(field.name(), ErrorCodes.READ_ONLY_FIELD, LocalizedText.format("Sie dürfen {0}"
                        + " nicht ändern: Ihre Rollen erlauben nur, es zu sehen", "You may not change {0}: your roles let"
                        + " you only see it", label(definitionOfField))));
            }
            if (value != null && definitionOfField.type() == FieldType.REFERENCE
                    && !readable(definitionOfField.referenceEntity(), (Long) value)) {
                errors.add(new FieldError(field.name(), ErrorCodes.REFERENCE_NOT_FOUND, LocalizedText.format("Es gibt"
                        + " keinen für Sie sichtbaren Datensatz {0} mit der ID {1}; wählen Sie einen", "There is no {0}"
                        + " with id {1} that you can see; pick one", definitionOfField.referenceEntity(), value)));
            }
            if (value instanceof io.relata.api.record.RecordLink link && !readable(link.entity(), link.id())) {
                errors.add(new FieldError(field.name(), ErrorCodes.REFERENCE_NOT_FOUND, LocalizedText.format("Es gibt"
                        + " keinen für Sie sichtbaren Datensatz {0} mit der ID {1}; wählen Sie einen", "There is no {0}"
                        + " with id {1} that you can see; pick one", link.entity(), link.id())));
            }
            stepValues.put(field.name(), value);
        }
        if (!errors.isEmpty()) {
            return new Judged(stepValues, errors, null);
        }

        RuleInput input = ruleInput(definition, entity, record, session, stepValues, actor);
        List<FieldError> ruleErrors = entityRuleErrors(entity, step, input);
        if (!ruleErrors.isEmpty()) {
            return new Judged(stepValues, ruleErrors, null);
        }
        if (step.validation() != null) {
            List<FieldError> refused = rules.validate(step.validation(), input);
            if (!refused.isEmpty()) {
                return new Judged(stepValues, refused, null);
            }
        }
        return new Judged(stepValues, List.of(), nextStep(definition, step, input));
    }

    /**
     * Goes back to the previous step on the path (from the summary: to the last step answered); answers are
     * kept and shown again.
     *
     * @throws DialogException {@code WRONG_STEP} at the first step
     */
    public DialogSession back(long sessionId, Actor actor) {
        MetadataModel model = models.get();
        Stored stored = load(sessionId, actor);
        DialogSession session = requireOpen(stored.session());
        DialogDefinition definition = definition(model, session);
        if (!session.canGoBack()) {
            throw new DialogException(Problem.WRONG_STEP, LocalizedText.format("Dieser Dialog steht bei seinem ersten"
                    + " Schritt ({0}); davor gibt es keinen", "This dialog is at its first step '{1}' ({0}); there is no"
                    + " step before it", title(definition, session.step()), session.step()));
        }
        List<String> path = new ArrayList<>(session.path());
        if (!session.atSummary()) {
            path.remove(path.size() - 1);
        }
        String previous = path.get(path.size() - 1);
        return save(stored, previous, path, session.answers(), DialogState.OPEN, stored.recordVersion(), stored.base());
    }

    /** The answered fields in the order they were asked (step by step along the path), for the summary screen. */
    public List<SummaryLine> summary(long sessionId, Actor actor) {
        MetadataModel model = models.get();
        DialogSession session = load(sessionId, actor).session();
        DialogDefinition definition = definition(model, session);
        List<SummaryLine> lines = new ArrayList<>();
        for (String stepName : session.answeredSteps()) {
            DialogStep step = definition.step(stepName).orElseThrow();
            for (DialogField field : step.fields()) {
                lines.add(new SummaryLine(step.name(), step.title(), field, session.answer(field.name())));
            }
        }
        return lines;
    }

    // ---- finishing ----

    /**
     * Finishes a session at its summary, in one transaction through the user's record store: updates the
     * record with the entity fields answered on the path (those the user changed) and the finish's fields,
     * creates the finish's records, moves the record to the finish's phase (the store's process hook applies
     * the guards), and marks the session finished. If anything is refused (a validation, a guard, a missing
     * permission, or someone changed the record since the dialog read it) nothing is written, the session
     * stays open and the result carries the reasons. After a concurrent change the session takes the
     * record's new state (answers the user had not changed show the new values), so finishing again writes
     * the user's answers over the other change knowingly.
     *
     * @throws DialogException {@code WRONG_STEP} if not at the summary, {@code NOT_OPEN}, {@code NOT_FOUND},
     *                         {@code DEFINITION_CHANGED}, {@code BROKEN_DEFINITION}, {@code CHANGED_MEANWHILE}
     */
    public FinishResult finish(long sessionId, Actor actor) {
        MetadataModel model = models.get();
        Stored stored = load(sessionId, actor);
        DialogSession session = requireOpen(stored.session());
        DialogDefinition definition = definition(model, session);
        if (!session.atSummary()) {
            throw new DialogException(Problem.WRONG_STEP, LocalizedText.format("Dieser Dialog steht beim Schritt {0};"
                    + " beantworten Sie ihn und die folgenden, bevor Sie abschließen", "This dialog is at step '{1}'"
                    + " ({0}); answer it and the steps after it before finishing", title(definition, session.step()),
                    session.step()));
        }
        EntityDefinition entity = entity(model, definition);
        checkDefinition(model, definition, entity);
        try {
            return transactions.inTransaction(() -> finishInTransaction(model, definition, entity, stored,
                    actor.language()));
        } catch (Refused refused) {
            return new FinishResult(List.of(), refused.errors, session);
        } catch (ConcurrentUpdateException e) {
            if (!e.entity().equals(session.entity()) || e.id() != session.recordId()) {
                throw e;
            }
            return rebase(definition, entity, stored);
        } catch (ValidationException e) {
            return new FinishResult(List.of(), e.errors(), session);
        } catch (AccessDeniedException e) {
            return new FinishResult(List.of(), List.of(new FieldError(null, ErrorCodes.ACCESS_DENIED, LocalizedText.format("Ihre"
                    + " Rollen erlauben das nicht ({0})", "{0}", e.getMessage()))), session);
        }
    }

    private FinishResult finishInTransaction(MetadataModel model, DialogDefinition definition, EntityDefinition entity,
                                             Stored stored, String language) {
        DialogSession session = stored.session();
        DialogFinish finish = definition.finishAfter(lastStep(session));
        Map<String, DialogField> fields = fields(definition);
        Set<String> answeredFields = new LinkedHashSet<>();
        for (String stepName : session.answeredSteps()) {
            definition.step(stepName).orElseThrow().fields().forEach(f -> answeredFields.add(f.name()));
        }

        Map<String, Object> changes = new LinkedHashMap<>();
        for (String name : answeredFields) {
            if (fields.get(name).recordField() && !same(session.answer(name), stored.base().get(name))) {
                changes.put(name, session.answer(name));
            }
        }
        changes.putAll(finish.setFields());
        Record record = records.get(session.entity(), session.recordId());
        if (!changes.isEmpty()) {
            record = records.update(session.entity(), session.recordId(), stored.recordVersion(), changes);
        }
        List<FinishResult.WrittenRecord> written = new ArrayList<>();
        written.add(new FinishResult.WrittenRecord(session.entity(), session.recordId(), false));

        Map<String, Object> recordScope = new LinkedHashMap<>(record.values());
        recordScope.put("id", record.id());
        Map<String, Object> dialogScope = new LinkedHashMap<>();
        for (DialogField field : fields.values()) {
            Object value = answeredFields.contains(field.name()) ? session.answer(field.name())
                    : field.recordField() ? record.get(field.name()) : null;
            dialogScope.put(field.name(), value);
        }
        for (DialogFinish.CreateRecord create : finish.creates()) {
            Map<String, Object> values = FinishValues.resolve(definition, create, model.entity(create.entity())
                    .orElse(null), new FinishValues.Answers(recordScope, fieldsOf(entity), dialogScope, definitionsOf(fields)),
                    language);
            try {
                written.add(new FinishResult.WrittenRecord(create.entity(),
                        records.create(create.entity(), values).id(), true));
            } catch (ValidationException e) {
                throw new Refused(e.errors().stream().map(error -> new FieldError(null, error.code(), LocalizedText.format(
                        "Der neue Datensatz ({0}) kann nicht angelegt werden: {1}{2}", "The new {0} cannot be created:"
                        + " {1}{2}", create.entity(), error.field() == null ? "" : error.field() + ": ", error.text())))
                        .toList());
            } catch (UnknownEntityException | AccessDeniedException e) {
                // a finish runs with the user's rights; say which, instead of "no entity named ..."
                Object dialog = definition.label() == null ? definition.name() : definition.label();
                throw new Refused(List.of(new FieldError(null, ErrorCodes.ACCESS_DENIED, LocalizedText.format("Der Abschluss von"
                        + " '{0}' legt einen Datensatz {1} an, was Ihre Rollen nicht erlauben; bitten Sie einen"
                        + " Administrator, einer Ihrer Rollen das Anlegen von {1} zu erlauben", "Finishing '{0}' creates a"
                        + " {1} record, which your roles do not allow you to create; ask an administrator to grant create"
                        + " on {1} to one of your roles", dialog, create.entity()))));
            }
        }

        if (finish.movePhase() != null) {
            String phaseField = phaseField(model, session.entity(), session.recordId());
            if (!finish.movePhase().equals(record.get(phaseField))) {
                record = records.update(session.entity(), session.recordId(), record.version(),
                        Map.of(phaseField, finish.movePhase()));
            }
        }
        DialogSession finished = save(stored, session.step(), session.path(), session.answers(), DialogState.FINISHED,
                stored.recordVersion(), stored.base());
        return new FinishResult(written, List.of(), finished);
    }

    /**
     * After someone else changed the record: the session takes the record's present state as its base, and
     * answers the user had not changed take the new values; the error names the fields both changed.
     */
    private FinishResult rebase(DialogDefinition definition, EntityDefinition entity, Stored stored) {
        DialogSession session = stored.session();
        Record current = records.get(session.entity(), session.recordId());
        Map<String, Object> answers = new LinkedHashMap<>(session.answers());
        Map<String, Object> base = new LinkedHashMap<>();
        List<Object> bothChanged = new ArrayList<>();
        for (DialogField field : fields(definition).values()) {
            if (!field.recordField()) {
                continue;
            }
            Object before = stored.base().get(field.name());
            Object now = current.get(field.name());
            Object answer = session.answer(field.name());
            if (same(answer, before)) {
                answers.put(field.name(), now);
            } else if (!same(before, now) && !same(answer, now)) {
                bothChanged.add(label(field.definition()));
            }
            base.put(field.name(), now);
        }
        DialogSession rebased = save(stored, session.step(), session.path(), answers, DialogState.OPEN,
                current.version(), base);
        LocalizedText message = bothChanged.isEmpty()
                ? LocalizedText.format("Jemand anderes hat {0} {1} geändert, während Sie in diesem Dialog waren. Die"
                        + " Zusammenfassung zeigt jetzt dessen Werte, wo Sie nichts geändert hatten; prüfen Sie sie und"
                        + " schließen Sie erneut ab.", "Someone else changed {0} {1} while you were in this dialog. The"
                        + " summary now shows their values where you had not changed anything; check it and finish again.",
                        label(entity), session.recordId())
                : LocalizedText.format("Jemand anderes hat {2} von {0} {1} geändert, während Sie in diesem Dialog"
                        + " waren, wo Sie andere Werte eingegeben haben. Prüfen Sie die Zusammenfassung: erneutes Abschließen"
                        + " schreibt Ihre Werte über dessen Werte.", "Someone else changed {2} of {0} {1} while you were in"
                        + " this dialog, where you entered other values. Check the summary: finishing again writes your"
                        + " values over theirs.", label(entity), session.recordId(), joined(bothChanged));
        return new FinishResult(List.of(), List.of(new FieldError(null, ErrorCodes.CONCURRENT_UPDATE, message)), rebased);
    }

    /**
     * What finishing the session would do, as the path stands: the finish of the last step answered if it has
     * one, else the dialog's. For the summary ("finishing moves the lead to Contacted").
     *
     * @throws DialogException {@code NOT_FOUND}, {@code DEFINITION_CHANGED}
     */
    public DialogFinish finishOf(long sessionId, Actor actor) {
        DialogSession session = load(sessionId, actor).session();
        return definition(models.get(), session).finishAfter(lastStep(session));
    }

    /** The last step answered: at the summary, where the path ended. */
    private static String lastStep(DialogSession session) {
        List<String> answered = session.answeredSteps();
        return answered.isEmpty() ? null : answered.get(answered.size() - 1);
    }

    /** Ends the session without writing anything. */
    public DialogSession abandon(long sessionId, Actor actor) {
        Stored stored = load(sessionId, actor);
        DialogSession session = requireOpen(stored.session());
        return save(stored, session.step(), session.path(), session.answers(), DialogState.ABANDONED,
                stored.recordVersion(), stored.base());
    }

    // ---- a preview for the designer ----

    /**
     * {@code dialog} of {@code model} (a draft's too) run on a record without a session and without writing anything:
     * the designer's preview. Steps are judged as {@link #submitStep} judges them; the finish only says what it would
     * write.
     *
     * @param recordId the record to run on (read through this runner's store), or null for a new, empty one
     * @throws DialogException {@code NOT_FOUND} for a dialog the model does not have
     */
    public DialogPreview preview(MetadataModel model, String dialog, Long recordId, Actor actor) {
        DialogDefinition definition = model.dialog(dialog).orElseThrow(() -> new DialogException(Problem.NOT_FOUND,
                LocalizedText.format("Keinen Dialog '{0}'", "No dialog '{0}'", dialog)));
        EntityDefinition entity = entity(model, definition);
        Record record = recordId == null
                ? new Record(entity.name(), 0, 0, now(), now(), Map.of())
                : records.get(entity.name(), recordId);
        return new DialogPreview(this, model, definition, entity, record, actor);
    }

    // ---- rules and branches ----

    /**
     * The entity's own validation rules about the fields this step asks, over the record as the answers so far
     * would make it: a value the save would refuse is refused at its step, where the user can correct it, not
     * at the finish.
     */
    private List<FieldError> entityRuleErrors(EntityDefinition entity, DialogStep step, RuleInput input) {
        Set<String> asked = new LinkedHashSet<>();
        step.fields().stream().filter(DialogField::recordField).forEach(f -> asked.add(f.name()));
        if (asked.isEmpty() || entity.rules().isEmpty()) {
            return List.of();
        }
        // the dialog's input without its dialog-only answers (which never shadow an entity field)
        Map<String, Object> values = new LinkedHashMap<>();
        input.values().forEach((name, value) -> {
            if (name.equals("id") || entity.field(name).isPresent()) {
                values.put(name, value);
            }
        });
        return rules.evaluate(new RuleInput(entity, values, input.previous(), input.actor(), input.lookup())).errors()
                .stream().filter(error -> error.field() != null && asked.contains(error.field())).toList();
    }

    private RuleInput ruleInput(DialogDefinition definition, EntityDefinition entity, Record record,
                                DialogSession session, Map<String, Object> stepValues, Actor actor) {
        Map<String, DialogField> fields = fields(definition);
        List<FieldDefinition> combined = new ArrayList<>(entity.fields());
        for (DialogField field : fields.values()) {
            if (!field.recordField() && entity.field(field.name()).isEmpty()) {
                combined.add(field.definition());
            }
        }
        EntityDefinition withDialogFields = entity.withFields(combined).withRules(List.of());

        Map<String, Object> values = new LinkedHashMap<>(record.values());
        values.put("id", record.id());
        for (DialogField field : fields.values()) {
            if (!field.recordField()) {
                values.put(field.name(), null);
            }
        }
        for (String stepName : session.answeredSteps()) {
            for (DialogField field : definition.step(stepName).orElseThrow().fields()) {
                values.put(field.name(), session.answer(field.name()));
            }
        }
        values.putAll(stepValues);
        Map<String, Object> previous = new LinkedHashMap<>(record.values());
        previous.put("id", record.id());
        return new RuleInput(withDialogFields, values, previous, actor, this::lookup);
    }

    private Optional<Map<String, Object>> lookup(String entity, long id) {
        try {
            return records.find(entity, id).map(Record::values);
        } catch (RecordException e) {
            return Optional.empty(); // an entity the user may not read does not exist for them
        }
    }

    private String nextStep(DialogDefinition definition, DialogStep step, RuleInput input) {
        for (DialogStep.DialogBranch branch : step.next()) {
            if (branch.when() == null || rules.test(branch.when(), input)) {
                if (branch.step() != null && definition.step(branch.step()).isEmpty()) {
                    throw broken(definition, "The dialog '" + definition.name()
                            + "' leads from step '" + step.name() + "' to step '" + branch.step() + "', which it does "
                            + "not have (" + where(branch.source()) + ")");
                }
                return branch.step();
            }
        }
        return null;
    }

    // ---- checks ----

    /** What the metadata checks should guarantee, checked again because a finish must not fail half-way. */
    private void checkDefinition(MetadataModel model, DialogDefinition definition, EntityDefinition entity) {
        List<String> problems = new ArrayList<>();
        if (definition.steps().isEmpty()) {
            problems.add("it has no steps");
        }
        for (DialogStep step : definition.steps()) {
            for (DialogStep.DialogBranch branch : step.next()) {
                if (branch.step() != null && definition.step(branch.step()).isEmpty()) {
                    problems.add("step '" + step.name() + "' leads to step '" + branch.step() + "', which does not exist ("
                            + where(branch.source()) + ")");
                }
            }
        }
        for (DialogFinish finish : definition.finishes()) {
            checkFinish(model, definition, entity, finish, problems);
        }
        if (!problems.isEmpty()) {
            throw broken(definition, "The dialog '" + definition.name() + "' ("
                    + where(definition.source()) + ") cannot run: " + String.join("; ", problems)
                    + ". An administrator needs to correct it.");
        }
    }

    private static void checkFinish(MetadataModel model, DialogDefinition definition, EntityDefinition entity,
                                    DialogFinish finish, List<String> problems) {
        for (String field : finish.setFields().keySet()) {
            if (entity.field(field).isEmpty()) {
                problems.add("finish sets '" + field + "', which is not a field of " + entity.name());
            }
        }
        Set<String> dialogFields = fields(definition).keySet();
        for (DialogFinish.CreateRecord create : finish.creates()) {
            if (model.entity(create.entity()).isEmpty()) {
                problems.add("finish creates a " + create.entity() + ", which is not an entity (" + where(create.source())
                        + ")");
                continue;
            }
            EntityDefinition created = model.entity(create.entity()).orElseThrow();
            List<String> notFields = create.values().keySet().stream().filter(f -> created.field(f).isEmpty()).toList();
            if (!notFields.isEmpty()) {
                problems.add("the new " + create.entity() + " gets values for " + String.join(", ", notFields)
                        + ", which " + (notFields.size() == 1 ? "is not a field" : "are not fields") + " of "
                        + create.entity() + " (" + where(create.source()) + ")");
            }
            List<String> unknown = FinishValues.unknownPlaceholders(create, entity, dialogFields);
            if (!unknown.isEmpty()) {
                problems.add("the values of the new " + create.entity() + " use " + String.join(", ", unknown)
                        + ", which name neither a field of " + entity.name() + " ({{record.x}}) nor a field of the "
                        + "dialog ({{dialog.x}}) (" + where(create.source()) + ")");
            }
        }
        if (finish.movePhase() != null) {
            List<ProcessDefinition> processes = model.processesOf(entity.name());
            if (processes.isEmpty()) {
                problems.add("finish moves the record to phase '" + finish.movePhase() + "', but " + entity.name()
                        + " has no process");
            } else if (processes.stream().noneMatch(p -> p.phase(finish.movePhase()).isPresent())) {
                problems.add("finish moves the record to phase '" + finish.movePhase() + "', which no process of "
                        + entity.name() + " has");
            }
        }
    }

    private void checkActor(Actor actor) {
        AccessPolicy policy = policy();
        if (policy != null && !policy.actor().username().equals(actor.username())) {
            throw new IllegalStateException("The record store works for '" + policy.actor().username()
                    + "' but the dialog call is for '" + actor.username() + "': pass the store bound to the same user");
        }
    }

    private void checkMayUpdate(DialogDefinition definition, Record record) {
        AccessPolicy policy = policy();
        if (policy == null) {
            return;
        }
        if (!policy.unrestricted() && !definition.openTo(policy.actor().roles())) {
            throw new DialogException(Problem.NOT_ALLOWED, LocalizedText.format("Den Dialog '{0}' führen Benutzer mit"
                    + " der Rolle {1} durch; bitten Sie einen Administrator darum", "The dialog '{0}' is for users with"
                    + " the role {1}; ask an administrator for it", definition.label() == null ? definition.name()
                    : definition.label(), roleLabels(definition.roles())));
        }
        if (!policy.allows(record.entity(), Operation.UPDATE, record)) {
            throw new AccessDeniedException(record.entity(), "update", record.id());
        }
        List<String> hidden = fields(definition).values().stream()
                .filter(f -> f.recordField() && policy.fieldAccess(record.entity(), f.name()) == FieldAccess.HIDDEN)
                .map(DialogField::name).toList();
        if (!hidden.isEmpty()) {
            throw new DialogException(Problem.NOT_ALLOWED, LocalizedText.format("Der Dialog '{0}' fragt nach {1} von"
                    + " {2}, was Ihre Rollen Sie nicht sehen lassen; bitten Sie einen Administrator um Zugriff", "The"
                    + " dialog '{0}' asks for {1} of {2}, which your roles do not let you see; ask an administrator for"
                    + " access", definition.label() == null ? definition.name() : definition.label(), String.join(", ", hidden),
                    record.entity()));
        }
    }

    /** The roles' labels ("Versicherungsvermittler, Vertrieb"), by name where a role has none. */
    private LocalizedText roleLabels(List<String> roles) {
        MetadataModel model = models.get();
        List<LocalizedText> labels = roles.stream().map(role -> model.role(role)
                .map(io.relata.api.security.RoleDefinition::label).orElse(LocalizedText.of(role, role))).toList();
        return LocalizedText.of(labels.stream().map(l -> l.in("de")).collect(java.util.stream.Collectors.joining(", ")),
                labels.stream().map(l -> l.in("en")).collect(java.util.stream.Collectors.joining(", ")));
    }

    /** The policy of the user's store, or null if the store is not a secured one (then it enforces itself). */
    private AccessPolicy policy() {
        return records instanceof SecuredRecordStore secured ? secured.policy() : null;
    }

    private boolean readable(String entity, long id) {
        try {
            return records.find(entity, id).isPresent();
        } catch (RecordException e) {
            return false;
        }
    }

    // ---- sessions ----

    private Stored load(long sessionId, Actor actor) {
        SessionStore.Row row = sessions.find(sessionId).filter(r -> r.username().equals(actor.username()))
                .orElseThrow(() -> new DialogException(Problem.NOT_FOUND, LocalizedText.format("Keine Dialogsitzung {0} von {1}",
                        "No dialog session {0} of {1}", sessionId, actor.username())));
        MetadataModel model = models.get();
        DialogDefinition definition = model.dialog(row.dialog()).filter(d -> d.entity().equals(row.entity()))
                .orElse(null);
        EntityDefinition entity = definition == null ? null : model.entity(row.entity()).orElse(null);
        return decode(row, entity == null ? null : definition, entity);
    }

    private static DialogSession requireOpen(DialogSession session) {
        if (session.state() != DialogState.OPEN) {
            throw new DialogException(Problem.NOT_OPEN, LocalizedText.format("Die Dialogsitzung {0} ist {1}; starten"
                    + " Sie den Dialog erneut vom Datensatz aus", "The dialog session {0} is {2}; start the dialog again"
                    + " from the record", session.id(), session.state() == DialogState.FINISHED ? "abgeschlossen"
                    : "abgebrochen", session.state().stored()));
        }
        return session;
    }

    private static DialogDefinition definition(MetadataModel model, DialogSession session) {
        DialogDefinition definition = model.dialog(session.dialog()).filter(d -> d.entity().equals(session.entity()))
                .orElseThrow(() -> new DialogException(Problem.DEFINITION_CHANGED, LocalizedText.format("Den Dialog '{0}' gibt es nicht"
                        + " mehr; Ihre Antworten können nicht mehr verwendet werden", "The dialog '{0}' no longer exists;"
                        + " your answers cannot be used any more", session.dialog())));
        if (!fits(session, definition)) {
            throw new DialogException(Problem.DEFINITION_CHANGED, LocalizedText.format("Der Dialog '{0}' wurde"
                    + " geändert, seit Sie ihn begonnen haben, und hat die durchlaufenen Schritte nicht mehr; brechen Sie"
                    + " diese Sitzung ab und starten Sie den Dialog erneut vom Datensatz aus", "The dialog '{0}' was"
                    + " changed since you started it and no longer has the steps you went through; abandon this session"
                    + " and start the dialog again from the record", session.dialog()));
        }
        return definition;
    }

    private static boolean fits(DialogSession session, DialogDefinition definition) {
        return !session.path().isEmpty() && session.path().stream().allMatch(s -> definition.step(s).isPresent())
                && (session.atSummary() || definition.step(session.step()).isPresent());
    }

    private DialogSession save(Stored stored, String step, List<String> path, Map<String, Object> answers,
                               DialogState state, long recordVersion, Map<String, Object> base) {
        DialogSession session = stored.session();
        String storedPath = String.join(",", path);
        if (storedPath.length() > SessionStore.MAX_PATH_LENGTH) {
            throw broken(null, "The dialog '" + session.dialog() + "' has more steps "
                    + "on one path than a session can record (" + SessionStore.MAX_PATH_LENGTH + " characters of step "
                    + "names); shorten the step names or split the dialog");
        }
        OffsetDateTime now = now();
        boolean saved = sessions.update(session.id(), session.version(), step == null ? SUMMARY_STEP : step, storedPath,
                json(recordVersion, base, answers), state.stored(), now);
        if (!saved) {
            throw new DialogException(Problem.CHANGED_MEANWHILE, LocalizedText.of("Dieser Dialog wurde in einem"
                    + " anderen Fenster oder Tab geändert, seit Sie ihn geladen haben; laden Sie ihn neu, um zu sehen, wo"
                    + " er steht", "This dialog was changed in another window or tab since you loaded it; reload it to"
                    + " see where it stands"));
        }
        return new DialogSession(session.id(), session.dialog(), session.entity(), session.recordId(),
                session.username(), step, path, answers, state, session.startedAt(), now, session.version() + 1);
    }

    private static String json(long recordVersion, Map<String, Object> base, Map<String, Object> answers) {
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("recordVersion", recordVersion);
        stored.put("base", base);
        stored.put("answers", answers);
        return ProcessJson.write(stored);
    }

    /**
     * A stored row with typed answers. Without a definition (dialog removed) answers stay as stored. An answer
     * that no longer converts (the field's definition changed) is dropped: the step asks for it again.
     */
    private Stored decode(SessionStore.Row row, DialogDefinition definition, EntityDefinition entity) {
        Map<String, Object> stored = ProcessJson.read(row.answers());
        Map<String, Object> answers = typed(object(stored.get("answers")), definition == null ? null
                : fieldDefinitions(fields(definition).values().stream().map(DialogField::definition).toList()));
        Map<String, Object> base = typed(object(stored.get("base")), entity == null ? null
                : fieldDefinitions(entity.fields()));
        long recordVersion = stored.get("recordVersion") instanceof Number n ? n.longValue() : 0;
        String step = SUMMARY_STEP.equals(row.step()) ? null : row.step();
        List<String> path = row.path().isEmpty() ? List.of() : Arrays.asList(row.path().split(","));
        DialogSession session = new DialogSession(row.id(), row.dialog(), row.entity(), row.recordId(), row.username(),
                step, path, answers, DialogState.fromStored(row.state()), row.startedAt(), row.updatedAt(), row.version());
        return new Stored(session, recordVersion, base);
    }

    private Map<String, Object> typed(Map<String, Object> raw, Map<String, FieldDefinition> definitions) {
        if (definitions == null) {
            return raw;
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : raw.entrySet()) {
            FieldDefinition field = definitions.get(entry.getKey());
            if (field == null) {
                continue;
            }
            try {
                typed.put(entry.getKey(), converter.convert(field, entry.getValue()));
            } catch (InvalidValueException e) {
                // dropped on purpose: see decode
            }
        }
        return typed;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static Map<String, FieldDefinition> fieldDefinitions(List<FieldDefinition> fields) {
        Map<String, FieldDefinition> byName = new LinkedHashMap<>();
        fields.forEach(f -> byName.putIfAbsent(f.name(), f));
        return byName;
    }

    /** Every field the dialog asks, by name, in the order of first asking. */
    static Map<String, DialogField> fields(DialogDefinition definition) {
        Map<String, DialogField> fields = new LinkedHashMap<>();
        for (DialogStep step : definition.steps()) {
            step.fields().forEach(f -> fields.putIfAbsent(f.name(), f));
        }
        return fields;
    }

    /** The entity's process phase field; of the process the record follows when the process engine knows it. */
    private String phaseField(MetadataModel model, String entity, long recordId) {
        String followed;
        try {
            followed = transactions.withConnection(c -> {
                try (PreparedStatement statement = c.prepareStatement(
                        "SELECT process FROM crm_process_case WHERE entity = ? AND record_id = ?")) {
                    statement.setString(1, entity);
                    statement.setLong(2, recordId);
                    try (ResultSet rs = statement.executeQuery()) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                }
            });
        } catch (SQLException e) {
            throw new StoreException(entity, "read process case", e);
        }
        return model.process(followed == null ? "" : followed).filter(p -> p.entity().equals(entity))
                .or(() -> model.processesOf(entity).stream().findFirst())
                .map(ProcessDefinition::phaseField)
                .orElseThrow(() -> broken(null, "The dialog moves a " + entity + " to a phase, but " + entity + " has no process"));
    }

    // ---- small helpers ----

    private static EntityDefinition entity(MetadataModel model, DialogDefinition definition) {
        return model.entity(definition.entity()).orElseThrow(() -> broken(definition,
                "The dialog '" + definition.name() + "' runs on '" + definition.entity()
                        + "', which is not an entity of the current metadata"));
    }

    private static LocalizedText describePosition(DialogDefinition definition, DialogSession session) {
        return session.atSummary() ? LocalizedText.of("seiner Zusammenfassung", "its summary")
                : LocalizedText.format("Schritt {0}", "step '{1}' ({0})", title(definition, session.step()), session.step());
    }

    private static Object title(DialogDefinition definition, String step) {
        return definition.step(step).<Object>map(s -> s.title() == null ? s.name() : s.title()).orElse(step);
    }

    private static Object label(FieldDefinition field) {
        return field.label() == null ? field.name() : field.label();
    }

    private static Object label(EntityDefinition entity) {
        return entity.label() == null ? entity.name() : entity.label();
    }

    /** Labels (texts or names) joined with commas, in each language. */
    private static LocalizedText joined(List<Object> labels) {
        Map<String, String> joined = new LinkedHashMap<>();
        for (String language : List.of("de", "en")) {
            joined.put(language, labels.stream().map(l -> l instanceof LocalizedText t ? t.in(language) : String.valueOf(l))
                    .collect(Collectors.joining(", ")));
        }
        return new LocalizedText(joined);
    }

    private static DialogException broken(DialogDefinition definition, String details) {
        return DialogException.brokenDefinition(definition, details);
    }

    private static String where(DialogStep step) {
        return where(step.source());
    }

    private static String where(Object source) {
        return source == null ? "position unknown" : source.toString();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    static boolean same(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(a, b);
    }

    /** A session as stored, with what the finish needs besides the answers. */
    private record Stored(DialogSession session, long recordVersion, Map<String, Object> base) {
    }

    /** The finish was refused by a check of one of its writes; the transaction rolls back. */
    private static final class Refused extends RuntimeException {
        private final List<FieldError> errors;

        Refused(List<FieldError> errors) {
            super("dialog finish refused", null, false, false);
            this.errors = errors;
        }
    }

    static Map<String, FieldDefinition> fieldsOf(EntityDefinition entity) {
        Map<String, FieldDefinition> fields = new LinkedHashMap<>();
        entity.fields().forEach(f -> fields.put(f.name(), f));
        return fields;
    }

    static Map<String, FieldDefinition> definitionsOf(Map<String, DialogField> fields) {
        Map<String, FieldDefinition> definitions = new LinkedHashMap<>();
        fields.forEach((name, field) -> definitions.put(name, field.definition()));
        return definitions;
    }

}
