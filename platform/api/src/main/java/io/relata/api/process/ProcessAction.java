package io.relata.api.process;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import java.time.Duration;
import java.util.Map;

/**
 * Something a process does on entering or leaving a phase, or when a timer fires. Actions that change
 * records run in the transaction of the write (or timer) that caused them; e-mails and webhooks are queued
 * in that transaction and delivered after it commits.
 */
public sealed interface ProcessAction {

    SourceLocation source();

    /** Who receives a to-do or an e-mail. */
    sealed interface Recipient {
    }

    /** The owner of the record the process runs on. */
    record RecordOwner() implements Recipient {
    }

    /** A user by login name. */
    record User(String username) implements Recipient {
    }

    /** A user holding the role, preferably one in the record's owning team. */
    record Role(String role) implements Recipient {
    }

    /** The address in a field of the record (e-mails only), e.g. a lead's {@code email}. */
    record Field(String field) implements Recipient {
    }

    /** A fixed address (e-mails only). */
    record Address(String address) implements Recipient {
    }

    /**
     * Creates an open activity of type to-do linked to the record — through the activity entity's record-link
     * field ({@code regarding}), else its reference to the record's entity — assigned to (owned by)
     * {@code assignee}, due {@code due} after now. Created with the platform's rights, whoever caused it.
     *
     * @param subject may contain {{record.field}} placeholders
     */
    record CreateTodo(LocalizedText subject, Recipient assignee, Duration due, SourceLocation source)
            implements ProcessAction {

        /** The entity to-dos are records of (when the model has it). */
        public static final String ENTITY = "activity";
    }

    /**
     * Sets fields of the record. Values are literals (typed like YAML: text, number, boolean, ISO date) or
     * expression rules ({@link io.relata.api.rules.RuleDefinition} of kind COMPUTED about the field): YAML
     * {@code "=addDays(today, 14)"} becomes such a rule, {@code "==x"} the literal text {@code "=x"}.
     *
     * @param force false: a field the writer of the same save changed keeps the writer's value (the user's
     *              word wins); true: the action sets it anyway (a won deal has probability 100, whatever was
     *              typed)
     */
    record SetFields(Map<String, Object> values, boolean force, SourceLocation source) implements ProcessAction {
        public SetFields {
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        }

        /** An action that leaves fields the writer changed alone ({@code force} false). */
        public SetFields(Map<String, Object> values, SourceLocation source) {
            this(values, false, source);
        }
    }

    /**
     * Sets fields of the record that a reference (or record-link) field of this record points to, e.g. marks the
     * ordered product reserved. Runs with the platform's rights like {@link CreateTodo} (the rules and processes
     * of that record run too); an empty reference does nothing. Values are literals typed like YAML; text may
     * contain {{record.field}} placeholders of this record.
     *
     * @param reference the reference or record-link field of this record
     */
    record UpdateReferenced(String reference, Map<String, Object> values, SourceLocation source)
            implements ProcessAction {
        public UpdateReferenced {
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        }
    }

    /**
     * Creates a record of {@code entity} with {@code values} that points back to this record through its field
     * {@code link} (a reference to this record's entity or a record-link), owned like this record. Runs with the
     * platform's rights like {@link CreateTodo}. Values as for {@link UpdateReferenced}.
     *
     * @param link the new record's field that points back; null: no link
     */
    record CreateRecord(String entity, String link, Map<String, Object> values, SourceLocation source)
            implements ProcessAction {
        public CreateRecord {
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        }
    }

    /** Sends the mail template {@code template} to {@code to}. */
    record SendMail(String template, Recipient to, SourceLocation source) implements ProcessAction {
    }

    /** POSTs the record (JSON: process, phase, event, record) to {@code url}. */
    record CallWebhook(String url, SourceLocation source) implements ProcessAction {
    }

    /** Calls the process extension {@code name} (Java, from a plugin) with the record and {@code parameters}. */
    record CallExtension(String name, Map<String, Object> parameters, SourceLocation source) implements ProcessAction {
        public CallExtension {
            parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        }
    }

    /**
     * Asks a plugin's {@link io.relata.api.plugin.Integration} (credit check, underwriting, porting) about the record
     * after the change is saved: queued in the outbox like a webhook, called with a timeout, recorded in the call log,
     * and its answer written back into the record's fields with the platform's rights (rules, guards and automatic
     * moves of the process then apply, so {@code when: record.credit_decision == 'approved'} moves on by itself).
     *
     * @param name       the integration's name
     * @param operation  what is asked, e.g. {@code check}
     * @param parameters literals added to the request's payload next to the record's values
     * @param answer     record field → key of the answer's data ({@code ok} is the yes/no itself, {@code message}
     *                   the answer's sentence in the platform's default language); keys the answer lacks are left
     *                   alone
     */
    record CallIntegration(String name, String operation, Map<String, Object> parameters, Map<String, String> answer,
                           SourceLocation source) implements ProcessAction {
        public CallIntegration {
            parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
            answer = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(answer));
        }
    }

    /** Moves the record to another phase (timers: "after 14 days without booking, close as expired"). */
    record MovePhase(String phase, SourceLocation source) implements ProcessAction {
    }
}
