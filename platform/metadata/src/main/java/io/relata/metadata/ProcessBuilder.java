package io.relata.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TimerDefinition;
import io.relata.api.process.TransitionDefinition;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Builds the {@link ProcessDefinition} of a file that passed the schema and {@link ProcessChecks}.
 *
 * <p>Transitions are expanded into one {@link TransitionDefinition} per move: lists in {@code from} and
 * {@code to} give every pair, {@code from: '*'} every open phase except the target. A move written
 * explicitly takes precedence over one produced by {@code '*'}, wherever it stands. Moves keep the order of
 * the file. Scripts become {@link RuleDefinition}s named after their place ({@code opportunity_sales.proposal->won.guard},
 * {@code opportunity_sales.won.onEnter.probability}), with the file and position where their text starts.
 */
final class ProcessBuilder {

    private final YamlDocument document;
    private final RuleScripts scripts;
    private final String process;

    private ProcessBuilder(YamlDocument document, RuleScripts scripts) {
        this.document = document;
        this.scripts = scripts;
        this.process = document.root().path("name").asText();
    }

    static ProcessDefinition build(YamlDocument document, RuleScripts scripts) {
        return new ProcessBuilder(document, scripts).process();
    }

    private ProcessDefinition process() {
        JsonNode root = document.root();
        List<PhaseDefinition> phases = new ArrayList<>();
        JsonNode list = root.path("phases");
        for (int i = 0; i < list.size(); i++) {
            phases.add(phase(i, list.get(i)));
        }
        RuleDefinition appliesWhen = root.has("appliesWhen")
                ? rule(process + ".appliesWhen", RuleKind.CONDITION, null, YamlDocument.pointer("appliesWhen")) : null;
        return new ProcessDefinition(process, root.path("entity").asText(), text(root.path("label")),
                root.path("phaseField").asText(), appliesWhen, phases, transitions(phases),
                location(YamlDocument.pointer("name"), false));
    }

    private PhaseDefinition phase(int index, JsonNode phase) {
        String name = phase.path("name").asText();
        List<String> requires = new ArrayList<>();
        phase.path("requires").forEach(f -> requires.add(f.asText()));
        List<TimerDefinition> timers = new ArrayList<>();
        JsonNode timerList = phase.path("timers");
        for (int t = 0; t < timerList.size(); t++) {
            JsonNode timer = timerList.get(t);
            String timerName = timer.path("name").asText();
            Duration after = timer.has("before")
                    ? Durations.parse(timer.path("before").asText()).orElseThrow().negated()
                    : Durations.parse(timer.path("after").asText()).orElseThrow();
            timers.add(new TimerDefinition(timerName, after,
                    actions(YamlDocument.pointer("phases", index, "timers", t, "do"), name + "." + timerName),
                    location(YamlDocument.pointer("phases", index, "timers", t), false),
                    timer.has("label") ? text(timer.path("label")) : null,
                    timer.hasNonNull("of") ? timer.path("of").asText() : null));
        }
        return new PhaseDefinition(name, phase.has("label") ? text(phase.path("label")) : null,
                PhaseOutcome.fromYamlName(phase.path("outcome").asText("open")).orElseThrow(), requires,
                phase.hasNonNull("reasonField") ? phase.path("reasonField").asText() : null,
                actions(YamlDocument.pointer("phases", index, "onEnter"), name + ".onEnter"),
                actions(YamlDocument.pointer("phases", index, "onLeave"), name + ".onLeave"),
                timers, location(YamlDocument.pointer("phases", index), false));
    }

    // ---- transitions --------------------------------------------------------------------------------------

    private List<TransitionDefinition> transitions(List<PhaseDefinition> phases) {
        JsonNode list = document.root().path("transitions");
        Set<String> explicit = new HashSet<>();
        for (JsonNode transition : list) {
            if (!"*".equals(transition.path("from").asText(null))) {
                for (String from : names(transition.path("from"))) {
                    names(transition.path("to")).forEach(to -> explicit.add(from + "\n" + to));
                }
            }
        }
        List<TransitionDefinition> moves = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode transition = list.get(i);
            if ("*".equals(transition.path("from").asText(null))) {
                for (String to : names(transition.path("to"))) {
                    for (PhaseDefinition from : phases) {
                        if (!from.isClosing() && !from.name().equals(to) && !explicit.contains(from.name() + "\n" + to)) {
                            moves.add(transition(i, transition, from.name(), to));
                        }
                    }
                }
                continue;
            }
            for (String from : names(transition.path("from"))) {
                for (String to : names(transition.path("to"))) {
                    moves.add(transition(i, transition, from, to));
                }
            }
        }
        return moves;
    }

    private TransitionDefinition transition(int index, JsonNode transition, String from, String to) {
        String pointer = YamlDocument.pointer("transitions", index);
        String name = process + "." + from + "->" + to;
        return new TransitionDefinition(from, to,
                transition.has("guard") ? rule(name + ".guard", RuleKind.VALIDATION, null, pointer + "/guard") : null,
                transition.has("when") ? rule(name + ".when", RuleKind.CONDITION, null, pointer + "/when") : null,
                location(pointer, false));
    }

    private static List<String> names(JsonNode value) {
        List<String> names = new ArrayList<>();
        if (value.isTextual()) {
            names.add(value.asText());
        } else {
            value.forEach(v -> names.add(v.asText()));
        }
        return names;
    }

    // ---- actions ------------------------------------------------------------------------------------------

    /** @param place where the actions run, for rule names: {@code won.onEnter}, {@code negotiation.stale_negotiation} */
    private List<ProcessAction> actions(String pointer, String place) {
        List<ProcessAction> actions = new ArrayList<>();
        JsonNode list = document.root().at(pointer);
        for (int i = 0; i < list.size(); i++) {
            actions.add(action(pointer + "/" + i, list.get(i), place));
        }
        return actions;
    }

    private ProcessAction action(String pointer, JsonNode action, String place) {
        SourceLocation at = location(pointer, false);
        String kind = ProcessChecks.ACTION_KINDS.stream().filter(action::has).findFirst().orElseThrow();
        JsonNode body = action.path(kind);
        return switch (kind) {
            case "todo" -> new ProcessAction.CreateTodo(text(body.path("subject")),
                    body.has("assignTo") ? recipient(body.path("assignTo")) : new ProcessAction.RecordOwner(),
                    body.hasNonNull("due") ? Durations.parse(body.path("due").asText()).orElseThrow() : null, at);
            case "set" -> new ProcessAction.SetFields(values(pointer + "/set", place), action.path("force").asBoolean(false), at);
            case "update" -> new ProcessAction.UpdateReferenced(body.path("record").asText(), literals(body.path("set")), at);
            case "create" -> new ProcessAction.CreateRecord(body.path("entity").asText(),
                    body.hasNonNull("link") ? body.path("link").asText() : null, literals(body.path("values")), at);
            case "mail" -> new ProcessAction.SendMail(body.path("template").asText(), recipient(body.path("to")), at);
            case "webhook" -> new ProcessAction.CallWebhook(body.path("url").asText(), at);
            case "extension" -> {
                Map<String, Object> parameters = new LinkedHashMap<>();
                body.path("parameters").fields().forEachRemaining(e ->
                        parameters.put(e.getKey(), EntityRuleBuilder.plain(e.getValue())));
                yield new ProcessAction.CallExtension(body.path("name").asText(), parameters, at);
            }
            case "integration" -> {
                Map<String, Object> parameters = new LinkedHashMap<>();
                body.path("parameters").fields().forEachRemaining(e ->
                        parameters.put(e.getKey(), EntityRuleBuilder.plain(e.getValue())));
                Map<String, String> answer = new LinkedHashMap<>();
                body.path("answer").fields().forEachRemaining(e -> answer.put(e.getKey(), e.getValue().asText()));
                yield new ProcessAction.CallIntegration(body.path("name").asText(), body.path("operation").asText(),
                        parameters, answer, at);
            }
            case "move" -> new ProcessAction.MovePhase(body.asText(), at);
            default -> throw new IllegalStateException("unknown action " + kind + " passed the checks");
        };
    }

    /**
     * Literal values as plain Java values; {@code '=expr'} as a {@link RuleKind#COMPUTED} rule about the field,
     * whose text starts after the '='; {@code '==text'} as the literal {@code '=text'}.
     */
    private Map<String, Object> values(String pointer, String place) {
        Map<String, Object> values = new LinkedHashMap<>();
        document.root().at(pointer).fields().forEachRemaining(e -> {
            JsonNode value = e.getValue();
            String text = value.isTextual() ? value.asText() : null;
            if (text != null && text.startsWith("==")) {
                values.put(e.getKey(), text.substring(1));
            } else if (text != null && text.startsWith("=")) {
                values.put(e.getKey(), expression(process + "." + place + "." + e.getKey(), e.getKey(),
                        pointer + "/" + e.getKey()));
            } else {
                values.put(e.getKey(), EntityRuleBuilder.plain(value));
            }
        });
        return values;
    }

    /** Values of actions on other records: plain Java values ('==text' is the literal '=text'). */
    private static Map<String, Object> literals(JsonNode object) {
        Map<String, Object> values = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> {
            String text = e.getValue().isTextual() ? e.getValue().asText() : null;
            values.put(e.getKey(), text != null && text.startsWith("==") ? text.substring(1) : EntityRuleBuilder.plain(e.getValue()));
        });
        return values;
    }

    static ProcessAction.Recipient recipient(JsonNode recipient) {
        if (recipient.isTextual()) {
            return new ProcessAction.RecordOwner();
        }
        if (recipient.has("user")) {
            return new ProcessAction.User(recipient.path("user").asText());
        }
        if (recipient.has("role")) {
            return new ProcessAction.Role(recipient.path("role").asText());
        }
        if (recipient.has("field")) {
            return new ProcessAction.Field(recipient.path("field").asText());
        }
        return new ProcessAction.Address(recipient.path("address").asText());
    }

    // ---- rules --------------------------------------------------------------------------------------------

    private RuleDefinition rule(String name, RuleKind kind, String field, String pointer) {
        RuleScripts.Script script = scripts.at(document, pointer)
                .orElseThrow(() -> new IllegalStateException("rule " + name + " passed the checks without a script"));
        return new RuleDefinition(name, kind, field, null, script.source(), script.sourceName(), script.start());
    }

    /** A set value {@code '=expr'}: the script is the text after '=', starting one column later. */
    private RuleDefinition expression(String name, String field, String pointer) {
        YamlDocument.Located located = document.at(pointer);
        ScalarNode scalar = (ScalarNode) located.value();
        SourceLocation start = RuleScripts.start(document.fileName(), document.file().content(), scalar, located.key());
        return new RuleDefinition(name, RuleKind.COMPUTED, field, null, scalar.getValue().substring(1),
                document.fileName(), new SourceLocation(start.file(), start.line(), start.column() + 1));
    }

    private SourceLocation location(String pointer, boolean atKey) {
        YamlDocument.Located located = document.at(pointer);
        var node = atKey ? located.entry() : located.value();
        return node == null ? new SourceLocation(document.fileName(), 1, 1) : EntityBuilder.location(document.fileName(), node);
    }

    static LocalizedText text(JsonNode node) {
        Map<String, String> values = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        return new LocalizedText(values);
    }
}
