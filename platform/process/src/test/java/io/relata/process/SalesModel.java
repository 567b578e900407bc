package io.relata.process;

import static io.relata.process.Models.activity;
import static io.relata.process.Models.choice;
import static io.relata.process.Models.entity;
import static io.relata.process.Models.field;
import static io.relata.process.Models.phase;
import static io.relata.process.Models.process;
import static io.relata.process.Models.required;
import static io.relata.process.Models.set;
import static io.relata.process.Models.todo;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import java.time.Duration;
import java.util.List;

/** An opportunity pipeline like the demo's, plus an entity without process and a ticket with automatic moves. */
final class SalesModel {

    static final String WON_GUARD = "record.amount > 1000 || 'A won deal needs an amount above 1000'";

    private SalesModel() {
    }

    static EntityDefinition opportunity() {
        return entity("opportunity", "name",
                required("name", FieldType.TEXT),
                field("amount", FieldType.MONEY),
                field("close_date", FieldType.DATE),
                field("probability", FieldType.INTEGER),
                choice("phase", "qualification", "proposal", "negotiation", "won", "lost", "cancelled", "archived"),
                field("loss_reason", FieldType.TEXT),
                field("product_line", FieldType.TEXT),
                field("next_step", FieldType.TEXT));
    }

    static Models.ProcessBuilder sales(String name) {
        return process(name, "opportunity", "phase")
                .appliesWhen("record.product_line != 'insurance'")
                .phases(
                        phase("qualification").onEnter(todo("First call for {{record.name}}",
                                new ProcessAction.RecordOwner(), Duration.ofDays(2))),
                        phase("proposal").requires("amount", "close_date"),
                        phase("negotiation").onEnter(todo("Negotiate {{record.name}} ({{record.amount}})",
                                        new ProcessAction.Role("sales_manager"), Duration.ofHours(4)))
                                .onLeave(set("next_step", "negotiated")),
                        phase("won").success().onEnter(set("probability", 100, "close_date", "=today")),
                        phase("lost").failure("loss_reason").onEnter(set("probability", 0)),
                        phase("cancelled").failure(null))
                .moves("qualification", "proposal", "lost")
                .moves("proposal", "negotiation", "lost")
                .guarded("proposal", "won", WON_GUARD)
                .guarded("negotiation", "won", WON_GUARD)
                .moves("negotiation", "lost")
                .moves("*", "cancelled")
                .moves("lost", "qualification");
    }

    static ProcessDefinition insurance() {
        return process("insurance", "opportunity", "phase")
                .phases(phase("qualification"), phase("won").success())
                .moves("qualification", "won")
                .build();
    }

    static EntityDefinition note() {
        return entity("note", "text", required("text", FieldType.TEXT));
    }

    /** A ticket moves to in_progress by itself once someone is assigned, and to waiting once a question is asked. */
    static EntityDefinition ticket() {
        return entity("ticket", "title", required("title", FieldType.TEXT), field("assignee_name", FieldType.TEXT),
                field("question", FieldType.TEXT), field("solution", FieldType.TEXT),
                choice("status", "open", "in_progress", "waiting", "resolved"));
    }

    static ProcessDefinition support() {
        return process("support", "ticket", "status")
                .phases(phase("open"), phase("in_progress"), phase("waiting"), phase("resolved").success().requires("solution"))
                .automatic("open", "in_progress", "record.assignee_name != null")
                .automatic("in_progress", "waiting", "record.question != null")
                .automatic("waiting", "in_progress", "record.question == null")
                .automatic("in_progress", "resolved", "record.solution != null",
                        "record.solution.length > 3 || 'Describe the solution'")
                .moves("in_progress", "open")
                .build();
    }

    static MetadataModel model(FieldDefinition... extraActivityFields) {
        return Models.model(List.of(opportunity(), activity("opportunity", extraActivityFields), note(), ticket()),
                List.of(sales("sales").build(), insurance(), support()), List.of());
    }
}
