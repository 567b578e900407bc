package io.relata.process;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.MailTemplate;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.record.FieldError;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.ValidationException;
import io.relata.store.JdbcRecordStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Runs the actions of a phase that do not change the record itself: to-dos, records of other entities and
 * changes to referenced records are written in the transaction of the write (or timer), with the platform's
 * rights (the system store, like to-dos since item 15), so a failure there rolls the whole write back; mails, webhooks and extension calls are queued in the {@link Outbox} in that
 * transaction and delivered after it commits. Setting fields and moving phases is the engine's and the
 * timers' business (they go through the record store so the hook and the rules see them).
 */
final class ProcessActions {

    /** The entity to-dos are created in, if the model has it. */
    static final String TODO_ENTITY = ProcessAction.CreateTodo.ENTITY;

    private static final Logger LOG = Logger.getLogger(ProcessActions.class.getName());

    private final ProcessSettings settings;
    private final Assignees assignees;
    private final Outbox outbox;

    ProcessActions(ProcessSettings settings, Assignees assignees, Outbox outbox) {
        this.settings = settings;
        this.assignees = assignees;
        this.outbox = outbox;
    }

    /**
     * Where and why actions run.
     *
     * @param event  enter, leave or timer
     * @param timer  the timer's name for {@code timer}, else null
     * @param writer the store to-dos are created with (inside the current transaction)
     */
    record Context(Connection connection, MetadataModel model, ProcessDefinition process, EntityDefinition entity,
                   Record record, String phase, String event, String timer, OffsetDateTime now, JdbcRecordStore writer) {
    }

    /**
     * Runs one action; {@link ProcessAction.SetFields} and {@link ProcessAction.MovePhase} are left to the caller.
     *
     * @throws ProcessActionException when the action cannot run: the caller's transaction must roll back
     */
    void run(Context context, ProcessAction action) throws SQLException {
        try {
            if (action instanceof ProcessAction.CreateTodo todo) {
                todo(context, todo);
            } else if (action instanceof ProcessAction.UpdateReferenced update) {
                nested(context, action, () -> updateReferenced(context, update));
            } else if (action instanceof ProcessAction.CreateRecord create) {
                nested(context, action, () -> createRecord(context, create));
            } else if (action instanceof ProcessAction.SendMail mail) {
                mail(context, mail);
            } else if (action instanceof ProcessAction.CallWebhook webhook) {
                webhook(context, webhook);
            } else if (action instanceof ProcessAction.CallExtension extension) {
                extension(context, extension);
            } else if (action instanceof ProcessAction.CallIntegration integration) {
                integration(context, integration);
            }
        } catch (ProcessActionException e) {
            throw e;
        } catch (ValidationException e) {
            throw failure(context, action, e.errors().stream().map(ProcessActions::describe)
                    .collect(Collectors.joining("; ")), e);
        } catch (RuntimeException e) {
            throw failure(context, action, String.valueOf(e.getMessage()), e);
        }
    }

    // ---- other records ----

    /**
     * How deep actions on other records may cause further such actions (the order's process reserves the
     * product, whose process creates a task, …): beyond it the processes change each other in a circle.
     */
    static final int MAX_NESTING = 8;
    private static final ThreadLocal<int[]> NESTING = ThreadLocal.withInitial(() -> new int[1]);

    private static void nested(Context context, ProcessAction action, Runnable write) {
        int[] depth = NESTING.get();
        if (depth[0] >= MAX_NESTING) {
            throw failure(context, action, "actions on other records caused further such actions more than "
                    + MAX_NESTING + " times in a row; the processes probably change each other in a circle", null);
        }
        depth[0]++;
        try {
            write.run();
        } finally {
            depth[0]--;
        }
    }

    /** Sets fields of the record a reference or record-link of this record points to (nothing if it is empty). */
    private void updateReferenced(Context context, ProcessAction.UpdateReferenced update) {
        Object pointer = context.record().get(update.reference());
        if (pointer == null) {
            return;
        }
        String entity;
        long id;
        if (pointer instanceof RecordLink link) {
            entity = link.entity();
            id = link.id();
        } else {
            entity = context.entity().field(update.reference()).map(FieldDefinition::referenceEntity)
                    .orElseThrow(() -> new IllegalStateException("'" + context.entity().name() + "' has no reference '"
                            + update.reference() + "'"));
            id = ((Number) pointer).longValue();
        }
        Record target = context.writer().find(entity, id).orElseThrow(() -> new IllegalStateException(
                "the " + entity + " with id " + id + " that " + update.reference() + " points to does not exist"));
        context.writer().update(entity, id, target.version(), values(context, update.values()));
    }

    /** Creates a record that points back to this one through {@code link}, owned like this record. */
    private void createRecord(Context context, ProcessAction.CreateRecord create) {
        Map<String, Object> values = values(context, create.values());
        if (create.link() != null) {
            FieldDefinition link = context.model().entity(create.entity()).flatMap(e -> e.field(create.link()))
                    .orElseThrow(() -> new IllegalStateException("'" + create.entity() + "' has no field '"
                            + create.link() + "'"));
            values.put(link.name(), link.type() == FieldType.RECORD_LINK
                    ? new RecordLink(context.entity().name(), context.record().id()) : context.record().id());
        }
        context.writer().create(create.entity(), values, context.record().ownerUser(), context.record().ownerTeam());
    }

    /**
     * The action's values: a text given per language ({@code {de: …, en: …}}) in the default language (English if
     * that is missing), placeholders rendered over this record.
     */
    private Map<String, Object> values(Context context, Map<String, Object> values) {
        String language = settings.defaultLanguage();
        Map<String, Object> rendered = new LinkedHashMap<>();
        Map<String, Object> render = null;
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> perLanguage) { // {de: …, en: …}: the text in the default language
                Object text = perLanguage.containsKey(language) ? perLanguage.get(language) : perLanguage.get("en");
                value = text == null ? null : String.valueOf(text);
            }
            if (value instanceof String text && text.contains("{{")) {
                if (render == null) {
                    render = renderContext(context, language);
                }
                value = Templates.render("value for " + entry.getKey() + " at " + context.process().name(), text, render);
            }
            rendered.put(entry.getKey(), value);
        }
        return rendered;
    }

    // ---- to-dos ----

    private void todo(Context context, ProcessAction.CreateTodo todo) {
        Optional<EntityDefinition> activity = context.model().entity(TODO_ENTITY);
        if (activity.isEmpty()) {
            LOG.log(Level.WARNING, "The process ''{0}'' asks for a to-do at {1}, but the model has no entity ''{2}'': "
                    + "no to-do was created", new Object[] {context.process().name(), todo.source(), TODO_ENTITY});
            return;
        }
        EntityDefinition entity = activity.get();
        String language = settings.defaultLanguage();
        Map<String, Object> values = new LinkedHashMap<>();
        String subject = Templates.render("to-do subject at " + todo.source(),
                todo.subject() == null ? "" : todo.subject().in(language), renderContext(context, language))
                .replaceAll("\\s+", " ").strip();
        entity.field("subject").ifPresent(f -> values.put("subject", fit(subject, f)));
        entity.field("type").ifPresent(f -> values.put("type", "todo"));
        entity.field("done").filter(f -> f.type() == FieldType.BOOLEAN).ifPresent(f -> values.put("done", false));
        if (todo.due() != null) {
            OffsetDateTime due = context.now().plus(todo.due());
            entity.field("due_at").ifPresent(f -> values.put("due_at", f.type() == FieldType.DATE ? due.toLocalDate() : due));
        }
        link(entity, context.entity()).ifPresent(f -> values.put(f.name(), f.type() == FieldType.RECORD_LINK
                ? new RecordLink(context.entity().name(), context.record().id()) : context.record().id()));
        Long owner = user(todo.assignee(), context.record()).orElseGet(() -> {
            LOG.log(Level.WARNING, "The to-do of process ''{0}'' at {1} has no assignee ({2}); it is created unassigned",
                    new Object[] {context.process().name(), todo.source(), todo.assignee()});
            return null;
        });
        context.writer().create(TODO_ENTITY, values, owner, context.record().ownerTeam());
    }

    /**
     * The field of the to-do entity that links a to-do to the record it is about: its record-link (the one that
     * decides who may read it, if several), so processes of every entity link their to-dos; without one, its
     * reference to the record's entity.
     */
    static Optional<FieldDefinition> link(EntityDefinition todos, EntityDefinition about) {
        return todos.readAccessField().filter(f -> f.type() == FieldType.RECORD_LINK)
                .or(() -> todos.fields().stream().filter(f -> f.type() == FieldType.RECORD_LINK).findFirst())
                .or(() -> todos.fields().stream()
                        .filter(f -> f.type() == FieldType.REFERENCE && about.name().equals(f.referenceEntity()))
                        .findFirst());
    }

    private static String fit(String text, FieldDefinition field) {
        int max = field.effectiveMaxLength();
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private Optional<Long> user(ProcessAction.Recipient recipient, Record record) {
        if (recipient instanceof ProcessAction.RecordOwner) {
            return Optional.ofNullable(record.ownerUser());
        }
        if (recipient instanceof ProcessAction.User user) {
            return assignees.userId(user.username());
        }
        if (recipient instanceof ProcessAction.Role role) {
            return assignees.userWithRole(role.role(), record.ownerTeam());
        }
        return Optional.empty(); // fields and fixed addresses name no user
    }

    // ---- mails ----

    /** An address, or why there is none. */
    private record Address(String address, String problem) {
    }

    private Address address(ProcessAction.Recipient recipient, Record record) {
        if (recipient instanceof ProcessAction.RecordOwner) {
            return record.ownerUser() == null ? new Address(null, "the record has no owner")
                    : email(record.ownerUser(), "the record's owner");
        }
        if (recipient instanceof ProcessAction.User user) {
            return assignees.userId(user.username())
                    .map(id -> email(id, "the user '" + user.username() + "'"))
                    .orElse(new Address(null, "there is no active user '" + user.username() + "'"));
        }
        if (recipient instanceof ProcessAction.Role role) {
            return assignees.userWithRole(role.role(), record.ownerTeam())
                    .map(id -> email(id, "the user holding the role '" + role.role() + "'"))
                    .orElse(new Address(null, "no active user holds the role '" + role.role() + "'"));
        }
        if (recipient instanceof ProcessAction.Field field) {
            String value = ProcessJson.text(record.get(field.field())).strip();
            return value.isEmpty() ? new Address(null, "the field '" + field.field() + "' is empty") : new Address(value, null);
        }
        if (recipient instanceof ProcessAction.Address fixed) {
            return new Address(fixed.address(), null);
        }
        return new Address(null, "the mail names no recipient");
    }

    private Address email(long userId, String who) {
        return assignees.email(userId).filter(a -> !a.isBlank()).map(a -> new Address(a, null))
                .orElse(new Address(null, who + " has no e-mail address"));
    }

    private void mail(Context context, ProcessAction.SendMail mail) throws SQLException {
        MailTemplate template = context.model().template(mail.template()).orElseThrow(() -> new IllegalStateException(
                "there is no mail template '" + mail.template() + "' in metadata/templates"));
        String language = language(template, context.record());
        Map<String, Object> render = renderContext(context, language);
        String subject = Templates.render("template " + template.name() + ", subject (" + language + ")",
                template.subject() == null ? "" : template.subject().in(language), render)
                .replaceAll("[\\r\\n]+", " ").strip();
        String body = Templates.render("template " + template.name() + ", body (" + language + ")",
                template.body() == null ? "" : template.body().in(language), render);
        Address to = address(mail.to(), context.record());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("to", to.address());
        payload.put("subject", subject);
        payload.put("body", body);
        payload.put("language", language);
        payload.put("template", template.name());
        String description = "mail " + template.name() + " to " + (to.address() == null ? "(nobody)" : to.address())
                + " " + about(context);
        if (to.address() == null) {
            outbox.queueFailed(context.connection(), Outbox.Kind.MAIL, ProcessJson.write(payload), description,
                    "Not sent: " + to.problem() + " (" + mail.source() + ")", self(context));
        } else {
            outbox.queue(context.connection(), Outbox.Kind.MAIL, ProcessJson.write(payload), description, self(context));
        }
    }

    /** The record's language if the template names a language field and it holds one, else the default. */
    private String language(MailTemplate template, Record record) {
        if (template.languageField() != null) {
            String value = ProcessJson.text(record.get(template.languageField())).strip();
            if (!value.isEmpty()) {
                return value;
            }
        }
        return settings.defaultLanguage();
    }

    // ---- webhooks and extensions ----

    private void webhook(Context context, ProcessAction.CallWebhook webhook) throws SQLException {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("url", webhook.url());
        payload.put("body", eventBody(context));
        outbox.queue(context.connection(), Outbox.Kind.WEBHOOK, ProcessJson.write(payload),
                "webhook POST " + webhook.url() + " " + about(context));
    }

    private void extension(Context context, ProcessAction.CallExtension extension) throws SQLException {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("extension", extension.name());
        payload.put("entity", context.entity().name());
        payload.put("record", recordValues(context.record()));
        payload.put("parameters", extension.parameters());
        payload.put("source", String.valueOf(extension.source()));
        outbox.queue(context.connection(), Outbox.Kind.EXTENSION, ProcessJson.write(payload),
                "extension " + extension.name() + " " + about(context));
    }

    private void integration(Context context, ProcessAction.CallIntegration integration) throws SQLException {
        Map<String, Object> request = new LinkedHashMap<>(recordValues(context.record()));
        request.putAll(integration.parameters());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("integration", integration.name());
        payload.put("operation", integration.operation());
        payload.put("entity", context.entity().name());
        payload.put("record", context.record().id());
        payload.put("payload", request);
        payload.put("answer", integration.answer());
        payload.put("process", context.process().name());
        payload.put("source", String.valueOf(integration.source()));
        outbox.queue(context.connection(), Outbox.Kind.INTEGRATION, ProcessJson.write(payload),
                "integration " + integration.name() + "/" + integration.operation() + " " + about(context));
    }

    /** What a webhook receives: {event, process, phase, entity, record} (+ timer). */
    static Map<String, Object> eventBody(Context context) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", context.event());
        body.put("process", context.process().name());
        body.put("phase", context.phase());
        if (context.timer() != null) {
            body.put("timer", context.timer());
        }
        body.put("entity", context.entity().name());
        body.put("record", recordValues(context.record()));
        return body;
    }

    private static Map<String, Object> recordValues(Record record) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", record.id());
        values.putAll(record.values());
        return values;
    }

    private static io.relata.api.record.RecordLink self(Context context) {
        return new io.relata.api.record.RecordLink(context.entity().name(), context.record().id());
    }

    private static String about(Context context) {
        return "(" + context.entity().name() + " " + context.record().id() + ", " + context.process().name() + "/"
                + context.phase() + " " + context.event() + (context.timer() == null ? "" : " " + context.timer()) + ")";
    }

    // ---- rendering ----

    /** {record: values with id, phase: {name, label}, process: {name, label}, settings: {base_url}}. */
    private Map<String, Object> renderContext(Context context, String language) {
        Map<String, Object> record = new LinkedHashMap<>(Templates.textValues(context.record().values()));
        record.put("id", context.record().id());
        Map<String, Object> render = new LinkedHashMap<>();
        render.put("record", record);
        render.put("phase", Map.of("name", context.phase(),
                "label", context.process().phaseLabel(context.entity(), context.phase()).in(language)));
        render.put("process", Map.of("name", context.process().name(),
                "label", context.process().label() == null ? context.process().name() : context.process().label().in(language)));
        render.put("settings", Map.of("base_url", settings.baseUrl()));
        return render;
    }

    // ---- errors ----

    private static ProcessActionException failure(Context context, ProcessAction action, String detail, Throwable cause) {
        String when = "timer".equals(context.event())
                ? "when the timer '" + context.timer() + "' of the phase '" + context.phase() + "' fired"
                : "on " + (context.event().equals("leave") ? "leaving" : "entering") + " the phase '" + context.phase() + "'";
        String details = "The process '" + context.process().name() + "' could not " + what(action) + " " + when + " ("
                + action.source() + "): " + detail + ". Nothing was saved; an administrator must fix the process or what it "
                + "refers to.";
        Object process = context.process().label() == null ? context.process().name() : context.process().label();
        return new ProcessActionException(LocalizedText.format("Der Prozess \u201e{0}\u201c konnte eine Aktion nicht"
                + " ausführen; nichts wurde gespeichert. Ein Administrator muss den Prozess korrigieren. Details: {1}",
                "{1}", process, details), cause);
    }

    private static String what(ProcessAction action) {
        if (action instanceof ProcessAction.SendMail mail) {
            return "prepare the mail '" + mail.template() + "'";
        }
        if (action instanceof ProcessAction.CallWebhook webhook) {
            return "queue the webhook call to " + webhook.url();
        }
        if (action instanceof ProcessAction.CallExtension extension) {
            return "queue the call of the extension '" + extension.name() + "'";
        }
        if (action instanceof ProcessAction.CallIntegration integration) {
            return "queue the call of the integration '" + integration.name() + "'";
        }
        if (action instanceof ProcessAction.SetFields set) {
            return "set " + set.values().keySet();
        }
        if (action instanceof ProcessAction.MovePhase move) {
            return "move to the phase '" + move.phase() + "'";
        }
        if (action instanceof ProcessAction.UpdateReferenced update) {
            return "update the record in '" + update.reference() + "' (" + String.join(", ", update.values().keySet()) + ")";
        }
        if (action instanceof ProcessAction.CreateRecord create) {
            return "create a record of '" + create.entity() + "'";
        }
        return "create the to-do (a record of '" + TODO_ENTITY + "')";
    }

    static String describe(FieldError error) {
        return error.field() == null ? error.message() : error.field() + ": " + error.message();
    }
}
