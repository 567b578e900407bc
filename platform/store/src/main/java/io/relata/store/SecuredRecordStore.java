package io.relata.store;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.AccessDeniedException;
import io.relata.api.record.CappedCount;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordNotFoundException;
import io.relata.api.record.RecordPage;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.RecordStore;
import io.relata.api.record.UnknownEntityException;
import io.relata.api.rules.RecordRules;
import io.relata.api.rules.RuleOutcome;
import io.relata.api.security.Actor;
import io.relata.api.security.FieldAccess;
import io.relata.store.access.AccessExplanation;
import io.relata.store.access.AccessPolicy;
import io.relata.store.access.Operation;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link RecordStore} for users: the {@link JdbcRecordStore} restricted to what the current
 * {@link Actor}'s roles allow ({@link AccessPolicy}), with every write audited in its own transaction.
 *
 * <ul>
 *   <li>An entity the actor may not read does not exist for them: every call throws
 *       {@link UnknownEntityException}.</li>
 *   <li>Reads (find, get, query, count, titles) carry the read scope as a condition in their SQL; a record
 *       outside it is "not found", never "forbidden", so its existence does not leak. Keyset paging and
 *       counts see the same rows.</li>
 *   <li>Hidden fields are removed from returned records; filtering or sorting on one fails exactly like a
 *       field that does not exist ({@code unknown_field}), and search does not look into them.</li>
 *   <li>Create needs the create permission; update, replace and delete need the record in the update or
 *       delete scope ({@link AccessDeniedException} if it is readable but not writable). Hidden and read-only
 *       fields cannot be written ({@code read_only_field}) and keep their values on replace. A reference to a
 *       record the actor cannot read is {@code reference_not_found}. New records are owned by the actor and
 *       their primary team.</li>
 *   <li>Creates and updates run the entity's rules ({@link RecordRules}) for the current actor, in the write's
 *       transaction. Values the rules compute are written by the system, whatever the actor may write; the
 *       actor may not give them. Rules look up related records through this store's permissions.</li>
 *   <li>Each write and its {@link AuditEntry} (with the values the rules set) commit or roll back together.</li>
 *   <li>What processes set beyond the caller's input is told to a listener ({@link #reportingTo}).</li>
 * </ul>
 *
 * The model and the actor are asked for once per call.
 */
public final class SecuredRecordStore implements RecordStore {

    private final JdbcRecordStore store;
    private final Supplier<MetadataModel> models;
    private final Supplier<Actor> currentActor;
    private final AuditSink audit;
    private final RecordRules rules;
    private final Consumer<AutomaticChange> listener;

    /** A secured store that runs the rules of {@code store} ({@link JdbcRecordStore#rules()}). */
    public SecuredRecordStore(JdbcRecordStore store, Supplier<MetadataModel> models, Supplier<Actor> currentActor,
                              AuditSink audit) {
        this(store, models, currentActor, audit, store.rules());
    }

    /**
     * @param store        the unrestricted store this one restricts (it must use the same data source)
     * @param models       the current metadata model, with its roles
     * @param currentActor the actor of the current call (request); {@link Actor#SYSTEM} for platform work
     * @param audit        receives every write inside the write's transaction
     * @param rules        runs the entities' rules on every create, update and replace, and for forms
     */
    public SecuredRecordStore(JdbcRecordStore store, Supplier<MetadataModel> models, Supplier<Actor> currentActor,
                              AuditSink audit, RecordRules rules) {
        this(store, models, currentActor, audit, rules, change -> { });
    }

    private SecuredRecordStore(JdbcRecordStore store, Supplier<MetadataModel> models, Supplier<Actor> currentActor,
                               AuditSink audit, RecordRules rules, Consumer<AutomaticChange> listener) {
        this.store = Objects.requireNonNull(store, "store");
        this.models = Objects.requireNonNull(models, "models");
        this.currentActor = Objects.requireNonNull(currentActor, "currentActor");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * This store, telling {@code listener} what processes set in its creates, updates and replaces beyond the
     * caller's input ({@link AutomaticChange}; fields hidden from the actor are left out), after each write
     * is stored and before the call returns (a write that fails tells nothing). For a user interface or API
     * that shows its user what a save did: take a new one per request.
     */
    public SecuredRecordStore reportingTo(Consumer<AutomaticChange> listener) {
        return new SecuredRecordStore(store, models, currentActor, audit, rules, listener);
    }

    /** The current actor's policy under the current model: what the UI may offer (buttons, columns). */
    public AccessPolicy policy() {
        return new AccessPolicy(models.get(), actor());
    }

    /**
     * Why the current actor can see the record: "Why can I see this record?". A record they cannot see is
     * {@link RecordNotFoundException} like everywhere else.
     */
    public AccessExplanation explain(String entity, long id) {
        Call call = call(entity);
        Record record = store.find(call.model, entity, id, RowScope.of(call.policy, call.model, entity, Operation.READ))
                .orElseThrow(() -> new RecordNotFoundException(entity, id));
        return explain(call.model, call.policy, entity, record);
    }

    /**
     * Why {@code actor} can (or cannot) see the record, for administrators asking about another user: the
     * current actor must be able to read the record ({@link RecordNotFoundException} otherwise); the caller
     * checks that they may ask about others.
     */
    public AccessExplanation explainFor(Actor actor, String entity, long id) {
        Call call = call(entity);
        store.find(call.model, entity, id, call.guard).orElseThrow(() -> new RecordNotFoundException(entity, id));
        Record record = store.find(call.model, entity, id, RowScope.ALL).orElseThrow();
        return explain(call.model, new AccessPolicy(call.model, actor), entity, record);
    }

    /** The policy's explanation, told whether the record it is about (readAccessFrom) is readable. */
    private AccessExplanation explain(MetadataModel model, AccessPolicy policy, String entity, Record record) {
        RecordLink through = null;
        Optional<FieldDefinition> link = model.entity(entity).flatMap(EntityDefinition::readAccessField);
        Object value = link.map(f -> record.get(f.name())).orElse(null);
        RecordLink target = value instanceof RecordLink l ? l
                : value instanceof Long id ? new RecordLink(link.get().referenceEntity(), id) : null;
        if (target != null && model.entity(target.entity()).isPresent() && policy.canRead(target.entity())
                && store.find(model, target.entity(), target.id(),
                        RowScope.of(policy, model, target.entity(), Operation.READ)).isPresent()) {
            through = target;
        }
        return policy.explain(entity, record, through);
    }

    /**
     * What the current actor may read of {@code entity}, for SQL the platform writes over its own tables that
     * point at records (process figures, phase history): the read scope as a condition and the hidden fields.
     * An entity they cannot read is {@link UnknownEntityException}, as everywhere.
     */
    public ReadScope readScope(String entity) {
        Call call = call(entity);
        return new ReadScope(entity, RowScope.of(call.policy.scope(entity, Operation.READ), call.policy.actor()),
                call.policy.hiddenFields(entity));
    }

    /**
     * What the rules say about a form while the current actor fills it in, to show, hide, require and lock
     * fields live and show computed values; nothing is written. {@code rawValues} are the form's values as
     * typed: a value that does not convert counts as empty, unknown, hidden and rule-computed fields are
     * ignored. With {@code id}, they are merged with that stored record (which must be readable, else
     * {@link RecordNotFoundException}) and the rules see it as {@code previous}. Values, errors and states of
     * fields hidden from the actor are left out of the outcome.
     */
    public RuleOutcome evaluateRules(String entity, Map<String, Object> rawValues, Long id) {
        return preview(entity, rawValues, id).outcome();
    }

    /**
     * What saving the form's values would store, for the current actor, nothing written: like
     * {@link #evaluateRules}, whose outcome it holds, plus what processes would set (set-field actions,
     * automatic moves) so the form can show the values a save will store. The outcome is judged on that
     * final record, as on save.
     */
    public WritePreview preview(String entity, Map<String, Object> rawValues, Long id) {
        Call call = call(entity);
        return store.preview(call.model, entity, rawValues, id, call.guard, rules);
    }

    // ---- writes ----

    @Override
    public Record create(String entity, Map<String, Object> values) {
        Call call = call(entity);
        if (!call.policy.canCreate(entity)) {
            throw new AccessDeniedException(entity, "create");
        }
        Actor actor = call.policy.actor();
        Long ownerUser = actor.system() ? null : actor.userId();
        Long ownerTeam = actor.system() ? null : actor.primaryTeam();
        return store.create(call.model, entity, values, ownerUser, ownerTeam, call.guard, rules, listener);
    }

    @Override
    public Record update(String entity, long id, long expectedVersion, Map<String, Object> changes) {
        Call call = call(entity);
        return store.write(call.model, entity, id, expectedVersion, changes, false, call.guard, rules, listener);
    }

    @Override
    public Record replace(String entity, long id, long expectedVersion, Map<String, Object> values) {
        Call call = call(entity);
        return store.write(call.model, entity, id, expectedVersion, values, true, call.guard, rules, listener);
    }

    /**
     * A change a platform action makes on the caller's behalf (completing or delegating a to-do): like
     * {@link #update} it needs the caller's update right on the record and is audited as theirs, but it may also set
     * {@code platformFields}, which are read-only for the caller (who completed it, who delegated it), and hand the
     * record to another user and team ({@code newOwnerUser} null: the owner stays).
     */
    public Record updateOnBehalf(String entity, long id, long expectedVersion, Map<String, Object> changes,
                                 java.util.Set<String> platformFields, Long newOwnerUser, Long newOwnerTeam) {
        Call call = call(entity);
        AccessGuard writesPlatformFields = new AccessGuard() {
            @Override
            public RowScope rows(EntityDefinition e, Operation operation) {
                return call.guard.rows(e, operation);
            }

            @Override
            public Actor actor() {
                return call.guard.actor();
            }

            @Override
            public FieldAccess fieldAccess(EntityDefinition e, String field) {
                FieldAccess access = call.guard.fieldAccess(e, field);
                return access == FieldAccess.READ_ONLY && e.name().equals(entity) && platformFields.contains(field)
                        ? FieldAccess.EDITABLE : access;
            }

            @Override
            public void written(Connection connection, EntityDefinition e, Record before, Record after, OffsetDateTime at)
                    throws SQLException {
                call.guard.written(connection, e, before, after, at);
            }
        };
        return store.write(call.model, entity, id, expectedVersion, changes, false, writesPlatformFields, rules, listener,
                newOwnerUser == null ? null : new JdbcRecordStore.Owner(newOwnerUser, newOwnerTeam));
    }

    @Override
    public void delete(String entity, long id, Long expectedVersion) {
        Call call = call(entity);
        store.delete(call.model, entity, id, expectedVersion, call.guard);
    }

    // ---- reads ----

    @Override
    public Optional<Record> find(String entity, long id) {
        Call call = call(entity);
        return store.find(call.model, entity, id, call.guard);
    }

    @Override
    public RecordPage query(String entity, RecordQuery query) {
        Call call = call(entity);
        return store.query(call.model, entity, query, call.guard);
    }

    @Override
    public long count(String entity, RecordQuery query) {
        Call call = call(entity);
        return store.count(call.model, entity, query, call.guard);
    }

    @Override
    public CappedCount countUpTo(String entity, RecordQuery query, long limit) {
        Call call = call(entity);
        return store.countUpTo(call.model, entity, query, limit, call.guard);
    }

    @Override
    public Optional<Object> aggregate(String entity, RecordQuery query, io.relata.api.record.Aggregate aggregate,
                                      String field) {
        Call call = call(entity);
        return store.aggregate(call.model, entity, query, aggregate, field, call.guard);
    }

    /**
     * Figures of the records of {@code entity} the caller may read that match {@code query}'s filters, grouped in the
     * database; a key or measure on a field hidden from the caller is refused as unknown (a figure computed from a
     * hidden field is hidden too).
     */
    public List<io.relata.api.record.Grouping.Group> groups(String entity, RecordQuery query,
                                                            io.relata.api.record.Grouping grouping) {
        Call call = call(entity);
        return store.groups(call.model, entity, query, grouping, call.guard);
    }

    /**
     * The records of {@code entity} the caller may read whose text {@code field} is similar to {@code text}, most similar
     * first (duplicate checks: "ACME GmbH" finds "Acme Gmbh."); a field hidden from the caller is unknown.
     */
    public List<Record> similar(String entity, String field, String text, int limit) {
        Call call = call(entity);
        return store.similar(call.model, entity, field, text, limit, call.guard);
    }

    @Override
    public Map<Long, String> titles(String entity, List<Long> ids) {
        Call call = call(entity);
        return store.titles(call.model, entity, ids, call.guard);
    }

    // ---- one call ----

    private Actor actor() {
        return Objects.requireNonNull(currentActor.get(), "no current actor");
    }

    /** The model, policy and guard of one call; the entity must be readable. */
    private Call call(String entity) {
        MetadataModel model = models.get();
        AccessPolicy policy = new AccessPolicy(model, actor());
        if (!policy.canRead(entity)) {
            throw new UnknownEntityException(entity);
        }
        return new Call(model, policy, new PolicyGuard(model, policy));
    }

    private record Call(MetadataModel model, AccessPolicy policy, AccessGuard guard) {
    }

    /** The policy as the JDBC store applies it, and the audit after each write. */
    private final class PolicyGuard implements AccessGuard {

        private final MetadataModel model;
        private final AccessPolicy policy;

        PolicyGuard(MetadataModel model, AccessPolicy policy) {
            this.model = model;
            this.policy = policy;
        }

        @Override
        public RowScope rows(EntityDefinition entity, Operation operation) {
            return RowScope.of(policy, model, entity.name(), operation);
        }

        @Override
        public Actor actor() {
            return policy.actor();
        }

        @Override
        public FieldAccess fieldAccess(EntityDefinition entity, String field) {
            return policy.fieldAccess(entity.name(), field);
        }

        @Override
        public void written(Connection connection, EntityDefinition entity, Record before, Record after,
                            OffsetDateTime at) throws SQLException {
            AuditEntry.Action action = before == null ? AuditEntry.Action.CREATE
                    : after == null ? AuditEntry.Action.DELETE : AuditEntry.Action.UPDATE;
            Map<String, AuditEntry.FieldChange> changes = new LinkedHashMap<>();
            for (FieldDefinition field : entity.fields()) {
                Object old = before == null ? null : before.get(field.name());
                Object now = after == null ? null : after.get(field.name());
                if (!JdbcRecordStore.sameValue(old, now)) {
                    changes.put(field.name(), new AuditEntry.FieldChange(old, now));
                }
            }
            if (before != null && after != null) {
                // a hand-over to another owner is part of the record's history like a field
                if (!Objects.equals(before.ownerUser(), after.ownerUser())) {
                    changes.put(Names.OWNER_USER, new AuditEntry.FieldChange(before.ownerUser(), after.ownerUser()));
                }
                if (!Objects.equals(before.ownerTeam(), after.ownerTeam())) {
                    changes.put(Names.OWNER_TEAM, new AuditEntry.FieldChange(before.ownerTeam(), after.ownerTeam()));
                }
            }
            Actor actor = policy.actor();
            long id = after == null ? before.id() : after.id();
            audit.record(connection, new AuditEntry(entity.name(), id, action, actor.userId(), actor.username(), at,
                    changes));
        }
    }
}
