package io.relata.runtime.customer;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordStore;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Logs an activity from a customer's page in one step: a call or note that happened now, or a meeting planned for
 * later, linked to the customer the way the activity entity links (its reference to the customer's entity, the
 * contact's account as well, else its record-link). Written through the user's own store, so rules, processes,
 * rights and the audit trail apply as to any create.
 */
public final class QuickCapture {

    /** What can be captured in one step: the activity type and whether it has happened already. */
    public enum Kind {
        CALL("call", true), NOTE("note", true), MEETING("meeting", false);

        private final String type;
        private final boolean happened;

        Kind(String type, boolean happened) {
            this.type = type;
            this.happened = happened;
        }

        public String type() {
            return type;
        }
    }

    static final Duration MEETING_LENGTH = Duration.ofHours(1);

    private final Supplier<MetadataModel> models;
    private final Clock clock;

    public QuickCapture(Supplier<MetadataModel> models, Clock clock) {
        this.models = Objects.requireNonNull(models, "models");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether {@code kind} can be captured: the activity entity has the type among its options. */
    public boolean offers(Kind kind) {
        return activity().flatMap(a -> a.field("type"))
                .map(f -> f.options().stream().anyMatch(o -> o.value().equals(kind.type()) && o.active())).orElse(false);
    }

    /**
     * Creates the activity about {@code about} as {@code records}' user: {@code at} is when it happened (null: now) or,
     * for a meeting, when it starts (null: in an hour); a meeting lasts an hour.
     */
    public Record log(RecordStore records, Kind kind, String subject, String notes, OffsetDateTime at, RecordLink about) {
        // to the minute, as date-times are entered everywhere
        OffsetDateTime now = OffsetDateTime.now(clock).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        OffsetDateTime when = at != null ? at : kind.happened ? now : now.plusHours(1);
        return create(records, kind, subject, notes, when, kind == Kind.MEETING ? when.plus(MEETING_LENGTH) : null, about);
    }

    /**
     * Plans an appointment from {@code start} to {@code end} (null or not after the start: an hour) as {@code records}'
     * user, about {@code about} if given (linked as {@link #log} links), from the calendar page.
     */
    public Record plan(RecordStore records, String subject, String notes, OffsetDateTime start, OffsetDateTime end,
                       RecordLink about) {
        return create(records, Kind.MEETING, subject, notes, start, end != null && end.isAfter(start) ? end
                : start.plus(MEETING_LENGTH), about);
    }

    private Record create(RecordStore records, Kind kind, String subject, String notes, OffsetDateTime start,
                          OffsetDateTime end, RecordLink about) {
        EntityDefinition activity = activity().orElseThrow(() -> new IllegalStateException("the model has no activities"));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("type", kind.type());
        values.put("subject", subject);
        put(activity, values, "description", notes == null || notes.isBlank() ? null : notes.strip());
        put(activity, values, "due_at", start);
        put(activity, values, "ends_at", end);
        put(activity, values, "done", kind.happened);
        if (about != null) {
            link(records, activity, values, about);
        }
        return records.create(Todos.ENTITY, values);
    }

    /** The reference to the customer's entity, the account of a contact too; else the record-link. */
    private void link(RecordStore records, EntityDefinition activity, Map<String, Object> values, RecordLink about) {
        Optional<FieldDefinition> direct = activity.fields().stream()
                .filter(f -> f.type() == FieldType.REFERENCE && about.entity().equals(f.referenceEntity())).findFirst();
        if (direct.isEmpty()) {
            activity.fields().stream().filter(f -> f.type() == FieldType.RECORD_LINK).findFirst()
                    .ifPresent(link -> values.put(link.name(), about.toString()));
            return;
        }
        values.put(direct.get().name(), about.id());
        // the contact's account, where the activity narrows its contact by account (activity.contact narrowBy account)
        if (direct.get().narrowBy() != null) {
            String narrowing = direct.get().narrowBy().field();
            String via = direct.get().narrowBy().via();
            records.find(about.entity(), about.id()).map(r -> r.get(via)).ifPresent(value -> values.put(narrowing, value));
        }
    }

    private static void put(EntityDefinition activity, Map<String, Object> values, String field, Object value) {
        if (activity.field(field).isPresent() && value != null) {
            values.put(field, value);
        }
    }

    private Optional<EntityDefinition> activity() {
        return models.get().entity(Todos.ENTITY).filter(e -> e.field("type").isPresent() && e.field("subject").isPresent());
    }
}
