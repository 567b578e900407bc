package io.relata.runtime.customer;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordStore;
import io.relata.api.record.ValidationException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * After a customer appointment, "write visit report": a new activity of the type {@value #TYPE} that takes over
 * what the appointment knew (when, the account and contact, what it was about, who took part: the attendees, else the
 * contact and the owner) and is history from the start; the appointment itself is marked as having taken place.
 * Both through the user's own store.
 */
public final class VisitReports {

    /** The activity type of a visit report (an option of the activity's type field). */
    public static final String TYPE = "visit_report";
    private static final List<String> TAKEN_OVER = List.of("account", "contact", "regarding");

    private final Supplier<MetadataModel> models;
    private final Clock clock;

    public VisitReports(Supplier<MetadataModel> models, Clock clock) {
        this.models = Objects.requireNonNull(models, "models");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether a report can be written after {@code activity}: an appointment that has begun, and reports exist. */
    public boolean offers(Record activity) {
        return activity.entity().equals(Todos.ENTITY) && ActivityCalendar.isAppointment(activity)
                && !TYPE.equals(activity.get("type")) && activity.get("due_at") instanceof OffsetDateTime start
                && !start.isAfter(OffsetDateTime.now(clock)) && reportType().isPresent();
    }

    /**
     * Writes the report of appointment {@code appointmentId} (its subject "Visit report: ..." in the user's language
     * as {@code subjectPrefix} gives it) and marks the appointment done; returns the report to be filled in.
     *
     * @param ownerTitle how the appointment's owner is named among the attendees (the display name)
     */
    public Record write(RecordStore records, long appointmentId, String subjectPrefix, String ownerTitle) {
        Record appointment = records.get(Todos.ENTITY, appointmentId);
        if (!offers(appointment)) {
            throw new ValidationException(List.of(new io.relata.api.record.FieldError("type", "not_an_appointment",
                    io.relata.api.model.LocalizedText.of("Ein Besuchsbericht folgt auf einen begonnenen Termin",
                            "A visit report follows an appointment that has begun"))));
        }
        EntityDefinition activity = reportType().orElseThrow();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("type", TYPE);
        values.put("subject", subjectPrefix + ": " + appointment.get("subject"));
        values.put("done", true);
        values.put("due_at", appointment.get("due_at"));
        for (String field : TAKEN_OVER) {
            Object value = appointment.get(field);
            if (value != null && activity.field(field).isPresent()) {
                values.put(field, value instanceof RecordLink link ? link.toString() : value);
            }
        }
        if (activity.field("attendees").isPresent()) {
            values.put("attendees", attendees(records, appointment, ownerTitle));
        }
        Record report = records.create(Todos.ENTITY, values);
        if (!Boolean.TRUE.equals(appointment.get("done"))) {
            Map<String, Object> done = new LinkedHashMap<>();
            done.put("done", true);
            records.update(Todos.ENTITY, appointment.id(), appointment.version(), done);
        }
        return report;
    }

    /** The appointment's attendees as written there, else its contact and its owner, one per line. */
    private static String attendees(RecordStore records, Record appointment, String ownerTitle) {
        if (appointment.get("attendees") instanceof String written && !written.isBlank()) {
            return written;
        }
        List<String> people = new ArrayList<>();
        if (appointment.get("contact") instanceof Long contact) {
            try {
                String title = records.titles("contact", List.of(contact)).get(contact);
                if (title != null) {
                    people.add(title);
                }
            } catch (io.relata.api.record.UnknownEntityException e) {
                // a user who may not read contacts names none
            }
        }
        if (ownerTitle != null && !ownerTitle.isBlank()) {
            people.add(ownerTitle);
        }
        return String.join("\n", people);
    }

    private Optional<EntityDefinition> reportType() {
        return models.get().entity(Todos.ENTITY).filter(e -> e.field("type").map(f -> f.options().stream()
                .anyMatch(o -> o.value().equals(TYPE) && o.active())).orElse(false));
    }
}
