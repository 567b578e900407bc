package io.relata.process;

import static io.relata.process.Models.choice;
import static io.relata.process.Models.entity;
import static io.relata.process.Models.field;
import static io.relata.process.Models.mail;
import static io.relata.process.Models.move;
import static io.relata.process.Models.phase;
import static io.relata.process.Models.process;
import static io.relata.process.Models.required;
import static io.relata.process.Models.template;
import static io.relata.process.Models.text;

import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.ProcessAction;
import java.time.Duration;
import java.util.List;

/**
 * The demo of the issue: a prospect asks for an appointment → a mail with a booking link; nothing booked within
 * 3 days → a reminder; booked (meeting_at set) → a preparation mail with the meeting details; nothing booked
 * within 10 days → expired. Processes, timers and templates only.
 */
final class BookingModel {

    private BookingModel() {
    }

    static MetadataModel model() {
        ProcessAction.Recipient requester = new ProcessAction.Field("email");
        return Models.model(
                List.of(entity("meeting_request", "name", required("name", FieldType.TEXT), field("email", FieldType.EMAIL),
                        field("language", FieldType.TEXT), choice("phase", "requested", "booked", "expired"),
                        field("meeting_at", FieldType.DATE_TIME))),
                List.of(process("booking", "meeting_request", "phase")
                        .phases(phase("requested")
                                        .onEnter(mail("booking_link", requester))
                                        .timer("reminder", Duration.ofDays(3), mail("booking_reminder", requester))
                                        .timer("expiry", Duration.ofDays(10), move("expired")),
                                phase("booked").success().onEnter(mail("meeting_preparation", requester)),
                                phase("expired").failure(null))
                        .automatic("requested", "booked", "record.meeting_at != null")
                        .moves("requested", "expired")
                        .build()),
                List.of(template("booking_link", "language", text("Ihr Termin mit uns", "Your appointment with us"),
                                text("Guten Tag {{record.name}},\nbitte buchen Sie Ihren Termin: "
                                                + "{{settings.base_url}}/book/{{record.id}}\n",
                                        "Hello {{record.name}},\nplease book your appointment: "
                                                + "{{settings.base_url}}/book/{{record.id}}\n")),
                        template("booking_reminder", "language", text("Erinnerung: Ihr Termin", "Reminder: your appointment"),
                                text("Guten Tag {{record.name}},\nSie haben noch keinen Termin gebucht: "
                                                + "{{settings.base_url}}/book/{{record.id}}\n",
                                        "Hello {{record.name}},\nyou have not booked yet: "
                                                + "{{settings.base_url}}/book/{{record.id}}\n")),
                        template("meeting_preparation", "language", text("Vorbereitung auf unseren Termin",
                                        "Preparing our meeting"),
                                text("Guten Tag {{record.name}},\nwir treffen uns am {{record.meeting_at}}.\n",
                                        "Hello {{record.name}},\nwe meet on {{record.meeting_at}} "
                                                + "({{process.label}}: {{phase.label}}).\n"))));
    }
}
