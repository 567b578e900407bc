package io.relata.store.access;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.security.AccessScope;
import io.relata.api.security.Actor;
import io.relata.api.security.EntityGrant;
import io.relata.api.security.FieldAccess;
import io.relata.api.security.RoleDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one {@link Actor} may do under one {@link MetadataModel}: the actor's roles combined. Pure: no
 * database, no logging; cheap to build per call.
 *
 * <p>Combination rules:
 * <ul>
 *   <li>{@link Actor#system()} and any administrator role may do everything: scope {@code all} for every
 *       operation, every field editable, create and export allowed.</li>
 *   <li>Otherwise each role contributes its grant for the entity; roles without a grant for it contribute
 *       nothing, and role names the model does not define are ignored.</li>
 *   <li>Per operation the widest scope wins; a role's update and delete scopes are first capped at that
 *       role's read scope (a role that may update all but read only its own records updates only its own),
 *       so a read-only role never widens what another role may change.</li>
 *   <li>Per field the most permissive access wins; create and export are allowed if any role allows them.</li>
 *   <li>An entity the actor cannot read does not exist for them: {@link #canRead} is false and every other
 *       answer for it is "no" ({@code none}, {@code hidden}, no create, no export).</li>
 * </ul>
 * A null scope or field default in a grant counts as {@code none} / {@code hidden} (deny unless granted).
 */
public final class AccessPolicy {

    private final MetadataModel model;
    private final Actor actor;
    /** The actor's roles that the model defines, by name. */
    private final List<RoleDefinition> roles;
    private final List<String> ignoredRoles;
    private final boolean unrestricted;
    private final Map<String, FieldAccess> fieldAccess = new java.util.concurrent.ConcurrentHashMap<>();

    public AccessPolicy(MetadataModel model, Actor actor) {
        this.model = Objects.requireNonNull(model, "model");
        this.actor = Objects.requireNonNull(actor, "actor");
        List<RoleDefinition> known = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String name : new TreeSet<>(actor.roles())) {
            model.role(name).ifPresentOrElse(known::add, () -> ignored.add(name));
        }
        this.roles = List.copyOf(known);
        this.ignoredRoles = List.copyOf(ignored);
        this.unrestricted = actor.system() || known.stream().anyMatch(RoleDefinition::administrator);
    }

    public Actor actor() {
        return actor;
    }

    /** True for the system actor and administrators: no restriction applies anywhere. */
    public boolean unrestricted() {
        return unrestricted;
    }

    /** Role names of the actor that the model does not define (ignored in every decision). */
    public List<String> ignoredRoles() {
        return ignoredRoles;
    }

    /** True if the entity exists and the actor may see at least some of its records. */
    public boolean canRead(String entity) {
        return scope(entity, Operation.READ) != AccessScope.NONE;
    }

    public boolean canCreate(String entity) {
        return canRead(entity) && (unrestricted || grants(entity).anyMatch(EntityGrant::create));
    }

    public boolean canExport(String entity) {
        return canRead(entity) && (unrestricted || grants(entity).anyMatch(EntityGrant::export));
    }

    /** The records of {@code entity} the operation reaches: the widest of the actor's roles (update and delete capped). */
    public AccessScope scope(String entity, Operation operation) {
        if (model.entity(entity).isEmpty()) {
            return AccessScope.NONE;
        }
        if (unrestricted) {
            return AccessScope.ALL;
        }
        AccessScope widest = AccessScope.NONE;
        for (RoleDefinition role : roles) {
            widest = widest.widest(roleScope(role, entity, operation));
        }
        return widest;
    }

    /**
     * True if {@code record} of {@code entity} is within the actor's scope for the operation, judged by its
     * owner columns. For reading an entity whose access comes from a link ({@code readAccessFrom}) that is not
     * the whole answer — the linked record's readability needs the database: ask the record store, which
     * applies it in SQL.
     */
    public boolean allows(String entity, Operation operation, Record record) {
        return includes(scope(entity, operation), record);
    }

    /**
     * The actor's access to one field: the most permissive of their roles. Hidden for fields the entity
     * does not have and for entities the actor cannot read.
     */
    public FieldAccess fieldAccess(String entity, String field) {
        // asked for every value of every record read: each answer once per policy (the model and actor are fixed)
        String key = entity + '\u0000' + field;
        FieldAccess known = fieldAccess.get(key);
        if (known == null) {
            known = decideFieldAccess(entity, field); // may ask for other fields (derived ones): no computeIfAbsent
            fieldAccess.putIfAbsent(key, known);
        }
        return known;
    }

    private FieldAccess decideFieldAccess(String entity, String field) {
        Optional<EntityDefinition> definition = model.entity(entity);
        if (definition.isEmpty() || definition.get().field(field).isEmpty() || !canRead(entity)) {
            return FieldAccess.HIDDEN;
        }
        if (unrestricted) {
            return FieldAccess.EDITABLE;
        }
        FieldAccess best = FieldAccess.HIDDEN;
        for (RoleDefinition role : roles) {
            best = best.mostPermissive(roleFieldAccess(role, entity, field));
        }
        return best;
    }

    /** The fields of {@code entity} the actor may see, in the entity's order (empty if they cannot read it). */
    public List<String> visibleFields(String entity) {
        return fieldsWith(entity, access -> access != FieldAccess.HIDDEN);
    }

    /** The fields of {@code entity} the actor may not see. */
    public Set<String> hiddenFields(String entity) {
        return new LinkedHashSet<>(fieldsWith(entity, access -> access == FieldAccess.HIDDEN));
    }

    /**
     * Why the actor may see (and change, and delete) {@code record}: one reason per role and operation
     * whose scope includes the record, and the access to every field of this record with the roles that give
     * it. A field is editable only if the actor may change the record; a field hidden because a rule computes it
     * from fields the role hides ({@link io.relata.api.security.EntityGrant#derived()}) says from which.
     */
    public AccessExplanation explain(String entity, Record record) {
        return explain(entity, record, null);
    }

    /**
     * {@link #explain(String, Record)} for an entity whose read access comes from a link
     * ({@code readAccessFrom}): {@code through} is the linked record if the actor may read it (the record store
     * knows: {@link io.relata.store.SecuredRecordStore#explain}), else null. While the link is set, only it and
     * owning the record let the actor see it; the roles' read scopes count for records without a link.
     */
    public AccessExplanation explain(String entity, Record record, RecordLink through) {
        List<AccessExplanation.Reason> reasons = new ArrayList<>();
        List<AccessExplanation.FieldRule> fields = new ArrayList<>();
        EntityDefinition definition = model.entity(entity).orElse(null);
        boolean linked = !unrestricted && definition != null && definition.readAccessField()
                .map(f -> record.get(f.name()) != null).orElse(false);
        boolean visible = definition != null && (linked ? canRead(entity) && (isOwner(record) || through != null)
                : allows(entity, Operation.READ, record));
        if (visible) {
            if (actor.system()) {
                for (Operation operation : Operation.values()) {
                    reasons.add(new AccessExplanation.Reason(null, operation, AccessScope.ALL,
                            LocalizedText.of("Arbeit der Plattform (System) unterliegt keinen Rollen",
                                    "platform work (system) is not subject to roles")));
                }
            }
            for (RoleDefinition role : roles) {
                for (Operation operation : Operation.values()) {
                    AccessScope scope = actor.system() ? AccessScope.NONE : roleScope(role, entity, operation);
                    boolean throughScope = includes(scope, record)
                            && (!linked || operation != Operation.READ || isOwner(record) || role.administrator());
                    if (throughScope) {
                        reasons.add(new AccessExplanation.Reason(role.name(), operation, scope,
                                why(role, operation, scope, record)));
                    }
                    if (linked && through != null && operation == Operation.READ && scope != AccessScope.NONE
                            && !isOwner(record)) {
                        reasons.add(new AccessExplanation.Reason(role.name(), operation, null,
                                LocalizedText.format("er betrifft {0} {1}, den Sie sehen dürfen",
                                        "it is about {0} {1}, which you may see", through.entity(), through.id())));
                    }
                }
            }
            boolean changeable = reasons.stream().anyMatch(r -> r.operation() == Operation.UPDATE);
            for (FieldDefinition field : definition.fields()) {
                fields.add(fieldRule(entity, field.name(), changeable));
            }
        }
        reasons.sort(Comparator.comparing((AccessExplanation.Reason r) -> r.operation())
                .thenComparing(r -> r.role() == null ? "" : r.role()));
        return new AccessExplanation(entity, record.id(), actor.username(), visible, reasons, fields,
                roles.stream().map(RoleDefinition::name).toList(), ignoredRoles);
    }

    /**
     * The actor's access to one field of a record: editable only if they may also change the record; a field
     * hidden because it is computed from hidden fields says so.
     */
    private AccessExplanation.FieldRule fieldRule(String entity, String field, boolean changeable) {
        FieldAccess access = fieldAccess(entity, field);
        if (access == FieldAccess.EDITABLE && !changeable) {
            return new AccessExplanation.FieldRule(field, FieldAccess.READ_ONLY, List.of(),
                    LocalizedText.of("keine Rolle erlaubt Ihnen, diesen Datensatz zu ändern",
                            "no role lets you change this record"));
        }
        List<String> from = actor.system() ? List.of() : roles.stream()
                .filter(role -> roleFieldAccess(role, entity, field) == access)
                .map(RoleDefinition::name).toList();
        LocalizedText note = null;
        if (access == FieldAccess.HIDDEN) {
            note = roles.stream().map(role -> role.grant(entity).map(g -> g.derived().get(field)).orElse(null))
                    .filter(Objects::nonNull).findFirst()
                    .map(derived -> LocalizedText.format("berechnet aus {0} von der Regel '{1}'",
                            "computed from {0} by the rule '{1}'", String.join(", ", derived.from()), derived.rule()))
                    .orElse(null);
        }
        return new AccessExplanation.FieldRule(field, access, from, note);
    }

    // ---- one role ----

    private AccessScope roleScope(RoleDefinition role, String entity, Operation operation) {
        if (role.administrator()) {
            return AccessScope.ALL;
        }
        EntityGrant grant = role.grant(entity).orElse(null);
        if (grant == null) {
            return AccessScope.NONE;
        }
        AccessScope read = orNone(grant.read());
        return switch (operation) {
            case READ -> read;
            case UPDATE -> narrowest(orNone(grant.update()), read);
            case DELETE -> narrowest(orNone(grant.delete()), read);
        };
    }

    private static FieldAccess roleFieldAccess(RoleDefinition role, String entity, String field) {
        if (role.administrator()) {
            return FieldAccess.EDITABLE;
        }
        return role.grant(entity).map(grant -> {
            FieldAccess access = grant.fieldAccess(field);
            return access == null ? FieldAccess.HIDDEN : access;
        }).orElse(FieldAccess.HIDDEN);
    }

    private LocalizedText why(RoleDefinition role, Operation operation, AccessScope scope, Record record) {
        if (role.administrator()) {
            return LocalizedText.format("die Rolle ist Administrator: sie darf jeden Datensatz {0}",
                    "the role is an administrator: it may {1} every record", operation.germanVerb(), operation.verb());
        }
        return switch (scope) {
            case ALL -> LocalizedText.format("die Rolle darf alle Datensätze {0}", "the role may {1} all records",
                    operation.germanVerb(), operation.verb());
            case OWN -> LocalizedText.of("er gehört Ihnen", "you own it");
            case TEAM -> isOwner(record) ? LocalizedText.of("er gehört Ihnen", "you own it")
                    : LocalizedText.format("er gehört Ihrem Team {0}", "it belongs to your team {0}", record.ownerTeam());
            case NONE -> throw new IllegalStateException("no reason for scope none");
        };
    }

    // ---- helpers ----

    private boolean includes(AccessScope scope, Record record) {
        return switch (scope) {
            case NONE -> false;
            case ALL -> true;
            case OWN -> isOwner(record);
            case TEAM -> isOwner(record) || (record.ownerTeam() != null && actor.teamIds().contains(record.ownerTeam()));
        };
    }

    private boolean isOwner(Record record) {
        return !actor.system() && record.ownerUser() != null && record.ownerUser() == actor.userId();
    }

    private java.util.stream.Stream<EntityGrant> grants(String entity) {
        return roles.stream().map(role -> role.grant(entity)).flatMap(Optional::stream);
    }

    private List<String> fieldsWith(String entity, java.util.function.Predicate<FieldAccess> test) {
        return model.entity(entity).map(definition -> definition.fields().stream()
                .map(FieldDefinition::name)
                .filter(field -> test.test(fieldAccess(entity, field)))
                .toList()).orElse(List.of());
    }

    private static AccessScope orNone(AccessScope scope) {
        return scope == null ? AccessScope.NONE : scope;
    }

    private static AccessScope narrowest(AccessScope a, AccessScope b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
