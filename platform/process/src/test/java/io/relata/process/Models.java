package io.relata.process;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.ReverseList;
import io.relata.api.model.SourceLocation;
import io.relata.api.process.MailTemplate;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TimerDefinition;
import io.relata.api.process.TransitionDefinition;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleKind;
import io.relata.api.security.RoleDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metadata for process tests, built in Java as the metadata loader would build it from YAML (the loader is
 * tested on its own).
 */
final class Models {

    /** A role that may do everything (users in tests hold it: access control is the store's business). */
    static final String ADMINISTRATOR = "administrator";

    private Models() {
    }

    static MetadataModel model(List<EntityDefinition> entities, List<ProcessDefinition> processes,
                               List<MailTemplate> templates) {
        Map<String, EntityDefinition> byName = new LinkedHashMap<>();
        entities.forEach(e -> byName.put(e.name(), e));
        Map<String, ProcessDefinition> processByName = new LinkedHashMap<>();
        processes.forEach(p -> processByName.put(p.name(), p));
        Map<String, MailTemplate> templateByName = new LinkedHashMap<>();
        templates.forEach(t -> templateByName.put(t.name(), t));
        RoleDefinition administrator = new RoleDefinition(ADMINISTRATOR, en("Administrator"), en("Everything"), true,
                Map.of(), SourceLocation.UNKNOWN);
        return new MetadataModel(byName, Map.of(ADMINISTRATOR, administrator), processByName, Map.of(), templateByName,
                "test-" + processByName.keySet(), Instant.EPOCH);
    }

    static LocalizedText en(String text) {
        return new LocalizedText(Map.of("en", text));
    }

    static LocalizedText text(String de, String en) {
        return LocalizedText.of(de, en);
    }

    static SourceLocation at(String file, int line) {
        return new SourceLocation(file, line, 5);
    }

    // ---- entities ----

    static EntityDefinition entity(String name, String titleField, FieldDefinition... fields) {
        return new EntityDefinition(name, en(name), en(name + "s"), null, titleField, Arrays.asList(fields),
                SourceLocation.UNKNOWN);
    }

    static FieldDefinition field(String name, FieldType type) {
        return field(name, type, false);
    }

    static FieldDefinition required(String name, FieldType type) {
        return field(name, type, true);
    }

    private static FieldDefinition field(String name, FieldType type, boolean required) {
        return new FieldDefinition(name, en(label(name)), type, required, false, false, false, true, null, null, null,
                List.of(), null, null, null, SourceLocation.UNKNOWN);
    }

    static FieldDefinition choice(String name, String... options) {
        return new FieldDefinition(name, en(label(name)), FieldType.CHOICE, false, false, false, false, true, null, null,
                null, Arrays.stream(options).map(o -> new ChoiceOption(o, en(label(o)))).toList(), null, null, null,
                SourceLocation.UNKNOWN);
    }

    static FieldDefinition reference(String name, String target) {
        return new FieldDefinition(name, en(label(name)), FieldType.REFERENCE, false, false, false, false, true, null,
                null, null, List.of(), target, new ReverseList("activities", en("Activities")), null, SourceLocation.UNKNOWN);
    }

    /** A record-link field: a record of any entity. */
    static FieldDefinition link(String name) {
        return new FieldDefinition(name, en(label(name)), FieldType.RECORD_LINK, false, false, false, false, true, null,
                null, null, List.of(), null, new ReverseList(name + "_activities", en("Activities")), null,
                SourceLocation.UNKNOWN);
    }

    /** "loss_reason" → "Loss reason". */
    private static String label(String name) {
        String words = name.replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** The activity entity to-dos go to, linked to {@code linkedTo}. */
    static EntityDefinition activity(String linkedTo, FieldDefinition... extra) {
        List<FieldDefinition> fields = new ArrayList<>(List.of(required("subject", FieldType.TEXT),
                choice("type", "call", "email", "todo"), field("due_at", FieldType.DATE_TIME),
                field("done", FieldType.BOOLEAN), reference(linkedTo, linkedTo)));
        fields.addAll(Arrays.asList(extra));
        return entity("activity", "subject", fields.toArray(FieldDefinition[]::new));
    }

    // ---- rules ----

    static RuleDefinition validation(String name, String source) {
        return new RuleDefinition(name, RuleKind.VALIDATION, null, null, source, "metadata/processes/test.yaml",
                at("metadata/processes/test.yaml", 1));
    }

    static RuleDefinition condition(String name, String source) {
        return new RuleDefinition(name, RuleKind.CONDITION, null, null, source, "metadata/processes/test.yaml",
                at("metadata/processes/test.yaml", 1));
    }

    // ---- actions ----

    static ProcessAction.CreateTodo todo(String subject, ProcessAction.Recipient assignee, Duration due) {
        return new ProcessAction.CreateTodo(text("DE " + subject, subject), assignee, due, at("todo.yaml", 3));
    }

    /** A set-field action that overrides what the writer gave ({@code force: true}). */
    static ProcessAction.SetFields forced(Object... keysAndValues) {
        ProcessAction.SetFields set = set(keysAndValues);
        return new ProcessAction.SetFields(set.values(), true, set.source());
    }

    static ProcessAction.SetFields set(Object... keysAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String field = (String) keysAndValues[i];
            Object value = keysAndValues[i + 1];
            // as the metadata loader does with '=expression' values
            if (value instanceof String text && text.startsWith("=")) {
                value = new io.relata.api.rules.RuleDefinition("set " + field, io.relata.api.rules.RuleKind.COMPUTED, field,
                        null, text.substring(1), "set.yaml", at("set.yaml", 4));
            }
            values.put(field, value);
        }
        return new ProcessAction.SetFields(values, at("set.yaml", 4));
    }

    static ProcessAction.SendMail mail(String template, ProcessAction.Recipient to) {
        return new ProcessAction.SendMail(template, to, at("mail.yaml", 5));
    }

    static ProcessAction.CallWebhook webhook(String url) {
        return new ProcessAction.CallWebhook(url, at("webhook.yaml", 6));
    }

    static ProcessAction.CallExtension extension(String name, Map<String, Object> parameters) {
        return new ProcessAction.CallExtension(name, parameters, at("extension.yaml", 7));
    }

    static ProcessAction.CallIntegration integration(String name, String operation, Map<String, String> answer) {
        return new ProcessAction.CallIntegration(name, operation, Map.of("product", "mobile"), answer,
                at("integration.yaml", 8));
    }

    static ProcessAction.MovePhase move(String phase) {
        return new ProcessAction.MovePhase(phase, at("move.yaml", 8));
    }

    static MailTemplate template(String name, String languageField, LocalizedText subject, LocalizedText body) {
        return new MailTemplate(name, subject, body, languageField, at("metadata/templates/" + name + ".yaml", 1));
    }

    // ---- processes ----

    static PhaseBuilder phase(String name) {
        return new PhaseBuilder(name);
    }

    static ProcessBuilder process(String name, String entity, String phaseField) {
        return new ProcessBuilder(name, entity, phaseField);
    }

    static final class PhaseBuilder {
        private final String name;
        private PhaseOutcome outcome = PhaseOutcome.OPEN;
        private List<String> required = List.of();
        private String reasonField;
        private final List<ProcessAction> onEnter = new ArrayList<>();
        private final List<ProcessAction> onLeave = new ArrayList<>();
        private final List<TimerDefinition> timers = new ArrayList<>();

        private PhaseBuilder(String name) {
            this.name = name;
        }

        PhaseBuilder success() {
            outcome = PhaseOutcome.SUCCESS;
            return this;
        }

        PhaseBuilder failure(String reason) {
            outcome = PhaseOutcome.FAILURE;
            reasonField = reason;
            return this;
        }

        PhaseBuilder requires(String... fields) {
            required = List.of(fields);
            return this;
        }

        PhaseBuilder onEnter(ProcessAction... actions) {
            onEnter.addAll(List.of(actions));
            return this;
        }

        PhaseBuilder onLeave(ProcessAction... actions) {
            onLeave.addAll(List.of(actions));
            return this;
        }

        PhaseBuilder timer(String timer, Duration after, ProcessAction... actions) {
            timers.add(new TimerDefinition(timer, after, List.of(actions), at("timer.yaml", 9)));
            return this;
        }

        /** A timer counted from the date in {@code anchor} ({@code after} negative: before it). */
        PhaseBuilder anchoredTimer(String timer, Duration after, String anchor, ProcessAction... actions) {
            timers.add(new TimerDefinition(timer, after, List.of(actions), at("timer.yaml", 9), null, anchor));
            return this;
        }

        PhaseDefinition build() {
            return new PhaseDefinition(name, null, outcome, required, reasonField, onEnter, onLeave, timers,
                    at("phase.yaml", 2));
        }
    }

    static final class ProcessBuilder {
        private final String name;
        private final String entity;
        private final String phaseField;
        private RuleDefinition appliesWhen;
        private final List<PhaseDefinition> phases = new ArrayList<>();
        private final List<TransitionDefinition> transitions = new ArrayList<>();

        private ProcessBuilder(String name, String entity, String phaseField) {
            this.name = name;
            this.entity = entity;
            this.phaseField = phaseField;
        }

        ProcessBuilder appliesWhen(String condition) {
            appliesWhen = condition(name + " appliesWhen", condition);
            return this;
        }

        ProcessBuilder phases(PhaseBuilder... builders) {
            Arrays.stream(builders).map(PhaseBuilder::build).forEach(phases::add);
            return this;
        }

        /** Moves from {@code from} (or '*') to each of {@code to}. */
        ProcessBuilder moves(String from, String... to) {
            for (String target : to) {
                transitions.add(new TransitionDefinition(from, target, null, null, at("transitions.yaml", 10)));
            }
            return this;
        }

        ProcessBuilder guarded(String from, String to, String guard) {
            transitions.add(new TransitionDefinition(from, to, validation(name + " " + from + "->" + to, guard), null,
                    at("transitions.yaml", 11)));
            return this;
        }

        ProcessBuilder automatic(String from, String to, String when) {
            transitions.add(new TransitionDefinition(from, to, null, condition(name + " " + from + "->" + to + " when", when),
                    at("transitions.yaml", 12)));
            return this;
        }

        ProcessBuilder automatic(String from, String to, String when, String guard) {
            transitions.add(new TransitionDefinition(from, to, validation(name + " " + from + "->" + to, guard),
                    condition(name + " " + from + "->" + to + " when", when), at("transitions.yaml", 13)));
            return this;
        }

        ProcessDefinition build() {
            return new ProcessDefinition(name, entity, en(name), phaseField, appliesWhen, phases, transitions,
                    at("metadata/processes/" + name + ".yaml", 1));
        }
    }
}
