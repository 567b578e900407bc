package io.relata.process.diagram;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.MailTemplate;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TimerDefinition;
import io.relata.api.rules.RuleDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The words of a diagram in one language (German or English; others fall back to English): phase and field
 * labels from the entity, summaries of actions and timers, guard labels, and the text measuring and escaping
 * both output formats need.
 */
final class DiagramText {

    private static final Map<String, String> ENGLISH = Map.ofEntries(
            Map.entry("onEnter", "on enter"),
            Map.entry("onLeave", "on leave"),
            Map.entry("requires", "requires"),
            Map.entry("reason", "reason"),
            Map.entry("after", "after"),
            Map.entry("before", "before"),
            Map.entry("anchorAfter", "after"),
            Map.entry("todo", "to-do for"),
            Map.entry("owner", "owner"),
            Map.entry("role", "role"),
            Map.entry("set", "set"),
            Map.entry("update", "update"),
            Map.entry("create", "create"),
            Map.entry("mail", "mail"),
            Map.entry("to", "to"),
            Map.entry("webhook", "webhook"),
            Map.entry("extension", "extension"),
            Map.entry("integration", "ask"),
            Map.entry("move", "move to"),
            Map.entry("when", "when"),
            Map.entry("guard", "guard"),
            Map.entry("appliesWhen", "applies when"),
            Map.entry("userMove", "move by a user"),
            Map.entry("automaticMove", "automatic move (when …)"),
            Map.entry("guardLegend", "[…] guard: the move must pass it"),
            Map.entry("timer", "timer"),
            Map.entry("success", "success"),
            Map.entry("failure", "failure"),
            Map.entry("open", "open"),
            Map.entry("start", "start"),
            Map.entry("noPhases", "This process has no phases."),
            Map.entry("day", "day"), Map.entry("days", "days"),
            Map.entry("hour", "hour"), Map.entry("hours", "hours"),
            Map.entry("minute", "minute"), Map.entry("minutes", "minutes"),
            Map.entry("second", "second"), Map.entry("seconds", "seconds"));

    private static final Map<String, String> GERMAN = Map.ofEntries(
            Map.entry("onEnter", "beim Eintritt"),
            Map.entry("onLeave", "beim Verlassen"),
            Map.entry("requires", "Pflichtfelder"),
            Map.entry("reason", "Grund"),
            Map.entry("after", "nach"),
            Map.entry("before", "vor"),
            Map.entry("anchorAfter", "nach"),
            Map.entry("todo", "Aufgabe für"),
            Map.entry("owner", "Besitzer"),
            Map.entry("role", "Rolle"),
            Map.entry("set", "setze"),
            Map.entry("update", "ändere"),
            Map.entry("create", "lege an"),
            Map.entry("mail", "Mail"),
            Map.entry("to", "an"),
            Map.entry("webhook", "Webhook"),
            Map.entry("extension", "Erweiterung"),
            Map.entry("integration", "frage an"),
            Map.entry("move", "wechsle zu"),
            Map.entry("when", "wenn"),
            Map.entry("guard", "Prüfung"),
            Map.entry("appliesWhen", "gilt wenn"),
            Map.entry("userMove", "Wechsel durch Benutzer"),
            Map.entry("automaticMove", "automatischer Wechsel (wenn …)"),
            Map.entry("guardLegend", "[…] Prüfung: der Wechsel muss sie bestehen"),
            Map.entry("timer", "Zeitgeber"),
            Map.entry("success", "Erfolg"),
            Map.entry("failure", "Misserfolg"),
            Map.entry("open", "offen"),
            Map.entry("start", "Start"),
            Map.entry("noPhases", "Dieser Prozess hat keine Phasen."),
            Map.entry("day", "Tag"), Map.entry("days", "Tagen"),
            Map.entry("hour", "Stunde"), Map.entry("hours", "Stunden"),
            Map.entry("minute", "Minute"), Map.entry("minutes", "Minuten"),
            Map.entry("second", "Sekunde"), Map.entry("seconds", "Sekunden"));

    private final ProcessDefinition process;
    private final EntityDefinition entity;
    private final Locale locale;
    private final Map<String, String> words;
    /** For the labels of roles and the subjects of mail templates; null shows their names. */
    private final MetadataModel model;

    DiagramText(ProcessDefinition process, EntityDefinition entity, Locale locale) {
        this(process, entity, locale, null);
    }

    DiagramText(ProcessDefinition process, EntityDefinition entity, Locale locale, MetadataModel model) {
        this.process = process;
        this.entity = entity;
        this.model = model;
        this.locale = locale == null ? Locale.ENGLISH : locale;
        this.words = "de".equals(this.locale.getLanguage()) ? GERMAN : ENGLISH;
    }

    String word(String key) {
        return words.get(key);
    }

    /** The process's label, else its name. */
    String processLabel() {
        String label = localized(process.label());
        return label.isBlank() ? process.name() : label;
    }

    /** The entity's label, else its name. */
    String entityLabel() {
        String label = entity == null ? "" : localized(entity.label());
        return label.isBlank() ? process.entity() : label;
    }

    /** The phase's own label, else the phase field's option label, else the phase name. */
    String phaseLabel(PhaseDefinition phase) {
        String own = localized(phase.label());
        if (!own.isBlank()) {
            return own;
        }
        return phaseFieldOption(phase.name()).map(o -> localized(o.label())).filter(l -> !l.isBlank())
                .orElse(phase.name());
    }

    /** Label of a phase by name (move targets): as {@link #phaseLabel}, the name if the process lacks it. */
    String phaseLabel(String phaseName) {
        return process.phase(phaseName).map(this::phaseLabel).orElse(phaseName);
    }

    String fieldLabel(String fieldName) {
        return Optional.ofNullable(entity).flatMap(e -> e.field(fieldName))
                .map(FieldDefinition::label).map(this::localized).filter(l -> !l.isBlank()).orElse(fieldName);
    }

    private Optional<ChoiceOption> phaseFieldOption(String phaseName) {
        return Optional.ofNullable(entity).flatMap(e -> e.field(process.phaseField()))
                .flatMap(f -> f.option(phaseName));
    }

    private String localized(LocalizedText text) {
        return text == null ? "" : text.in(locale);
    }

    /** The lines shown in a phase's box under its label: required fields, reason, actions (timers apart). */
    List<String> detailLines(PhaseDefinition phase) {
        List<String> lines = new ArrayList<>();
        if (!phase.requiredFields().isEmpty()) {
            lines.add(word("requires") + ": " + phase.requiredFields().stream().map(this::fieldLabel)
                    .collect(Collectors.joining(", ")));
        }
        if (phase.reasonField() != null) {
            lines.add(word("reason") + ": " + fieldLabel(phase.reasonField()));
        }
        if (!phase.onEnter().isEmpty()) {
            lines.add(word("onEnter") + ": " + actions(phase.onEnter()));
        }
        if (!phase.onLeave().isEmpty()) {
            lines.add(word("onLeave") + ": " + actions(phase.onLeave()));
        }
        return lines;
    }

    /** "after 3 days: mail booking_reminder", "60 days before End date: to-do for owner". */
    String timer(TimerDefinition timer) {
        return when(timer) + ": " + actions(timer.actions());
    }

    /** "after 3 days" (from entering the phase), "60 days before End date", "1 day after Minimum term end". */
    String when(TimerDefinition timer) {
        if (!timer.anchored()) {
            return word("after") + " " + duration(timer.after());
        }
        boolean before = timer.after().isNegative();
        return duration(timer.after().abs()) + " " + word(before ? "before" : "anchorAfter") + " "
                + fieldLabel(timer.anchor());
    }

    String actions(List<ProcessAction> actions) {
        return actions.stream().map(this::action).collect(Collectors.joining(", "));
    }

    String action(ProcessAction action) {
        if (action instanceof ProcessAction.CreateTodo todo) {
            return word("todo") + " " + recipient(todo.assignee());
        } else if (action instanceof ProcessAction.SetFields set) {
            return word("set") + " " + set.values().keySet().stream().map(this::fieldLabel)
                    .collect(Collectors.joining(", "));
        } else if (action instanceof ProcessAction.UpdateReferenced update) {
            return word("update") + " " + fieldLabel(update.reference()) + ": " + String.join(", ", update.values().keySet());
        } else if (action instanceof ProcessAction.CreateRecord create) {
            return word("create") + " " + create.entity();
        } else if (action instanceof ProcessAction.SendMail mail) {
            return word("mail") + " " + mailName(mail.template()) + " " + word("to") + " " + recipient(mail.to());
        } else if (action instanceof ProcessAction.CallWebhook webhook) {
            return word("webhook") + " " + webhook.url().replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        } else if (action instanceof ProcessAction.CallExtension extension) {
            return word("extension") + " " + extension.name();
        } else if (action instanceof ProcessAction.CallIntegration integration) {
            return word("integration") + " " + integration.name();
        } else if (action instanceof ProcessAction.MovePhase move) {
            return word("move") + " " + phaseLabel(move.phase());
        }
        throw new IllegalArgumentException("Unknown process action " + action);
    }

    /** A mail by its subject, placeholders shown as "…" ("„Ihr Termin am …“"), else by its template's name. */
    private String mailName(String template) {
        return Optional.ofNullable(model).flatMap(m -> m.template(template)).map(MailTemplate::subject)
                .map(this::localized).filter(s -> !s.isBlank())
                .map(s -> quoted(s.replaceAll("\\{\\{[^}]*}}", "…").strip())).orElse(template);
    }

    private String quoted(String text) {
        return words == GERMAN ? "\u201e" + text + "\u201c" : "\u201c" + text + "\u201d";
    }

    private String roleLabel(String role) {
        return Optional.ofNullable(model).flatMap(m -> m.role(role)).map(r -> r.label()).map(this::localized)
                .filter(l -> !l.isBlank()).orElse(role);
    }

    private String recipient(ProcessAction.Recipient recipient) {
        if (recipient == null || recipient instanceof ProcessAction.RecordOwner) {
            return word("owner");
        } else if (recipient instanceof ProcessAction.User user) {
            return user.username();
        } else if (recipient instanceof ProcessAction.Role role) {
            return word("role") + " " + roleLabel(role.role());
        } else if (recipient instanceof ProcessAction.Field field) {
            return fieldLabel(field.field());
        } else if (recipient instanceof ProcessAction.Address address) {
            return address.address();
        }
        throw new IllegalArgumentException("Unknown recipient " + recipient);
    }

    /** "3 days", "1 day 12 hours", "30 minutes" (German in the dative: "nach 3 Tagen"). */
    String duration(Duration duration) {
        if (duration == null) {
            return "?";
        }
        List<String> parts = new ArrayList<>();
        addPart(parts, duration.toDays(), "day", "days");
        addPart(parts, duration.toHoursPart(), "hour", "hours");
        addPart(parts, duration.toMinutesPart(), "minute", "minutes");
        addPart(parts, duration.toSecondsPart(), "second", "seconds");
        return parts.isEmpty() ? "0 " + word("minutes") : String.join(" ", parts);
    }

    private void addPart(List<String> parts, long amount, String one, String many) {
        if (amount != 0) {
            parts.add(amount + " " + word(amount == 1 ? one : many));
        }
    }

    /**
     * The short text of a rule on an arrow: a rule kept in its own .js file is known by its name, an inline
     * rule by its first line (its name is made up by the loader).
     */
    static String ruleSummary(RuleDefinition rule) {
        String source = rule.source() == null ? "" : rule.source().strip();
        boolean ownFile = rule.sourceName() != null && rule.sourceName().endsWith(".js");
        if (ownFile && rule.name() != null && !rule.name().isBlank()) {
            return rule.name();
        }
        if (source.isEmpty()) {
            return rule.name() == null ? "" : rule.name();
        }
        int lineEnd = source.indexOf('\n');
        return lineEnd < 0 ? source : source.substring(0, lineEnd).strip() + " …";
    }

    /** The whole rule for a tooltip: name and source. */
    static String ruleInFull(RuleDefinition rule) {
        boolean ownFile = rule.sourceName() != null && rule.sourceName().endsWith(".js");
        String name = !ownFile || rule.name() == null || rule.name().isBlank() ? "" : rule.name() + ": ";
        return name + (rule.source() == null ? "" : rule.source().strip());
    }

    // --- measuring and shortening text (no font metrics available: an estimate for system-ui) ---

    /**
     * Estimated width in px of {@code text} at {@code fontSize}. The advance widths are those of DejaVu Sans,
     * the widest of the usual system-ui fonts (Linux default), so text fits wherever the browser finds a font.
     */
    static double width(String text, double fontSize, boolean bold) {
        double em = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            em += charWidth(c);
        }
        return em * fontSize * (bold ? 1.1 : 1.0);
    }

    private static final String[] WIDTH_CLASSES = {
        "ijl'", " .,:;!|", "ft", "r()[]{}-", "\"", "_sz/", "c", "kvxy", "aeo", "bdghnpqu0123456789",
        "&", "w", "<>=+~#", "m"};
    private static final double[] WIDTHS = {0.28, 0.32, 0.36, 0.40, 0.46, 0.52, 0.56, 0.60, 0.62, 0.64,
        0.78, 0.82, 0.84, 0.98};

    private static double charWidth(int c) {
        for (int k = 0; k < WIDTH_CLASSES.length; k++) {
            if (WIDTH_CLASSES[k].indexOf(c) >= 0) {
                return WIDTHS[k];
            }
        }
        if (c == 'I') {
            return 0.30;
        }
        if (c == 'M' || c == 'W' || c == '@' || c == '%' || c == '…') {
            return 0.9;
        }
        if (Character.isUpperCase(c)) {
            return 0.74;
        }
        if (c >= 0x2E80) {
            return 1.0;
        }
        return 0.62;
    }

    /** {@code text} cut with "…" to fit {@code maxWidth}; empty if not even "…" fits. */
    static String shorten(String text, double maxWidth, double fontSize, boolean bold) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        if (width(oneLine, fontSize, bold) <= maxWidth) {
            return oneLine;
        }
        if (width("…", fontSize, bold) > maxWidth) {
            return "";
        }
        int end = oneLine.length();
        while (end > 0 && width(oneLine.substring(0, end).stripTrailing() + "…", fontSize, bold) > maxWidth) {
            end = oneLine.offsetByCodePoints(end, -1);
        }
        return oneLine.substring(0, end).stripTrailing() + "…";
    }

    /** Text safe in XML content and attribute values; characters XML cannot hold become spaces. */
    static String xml(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\n' -> out.append("&#10;");
                case '\t' -> out.append("&#9;");
                case '\r' -> { }
                default -> {
                    boolean allowed = c >= 0x20 && c != 0xFFFE && c != 0xFFFF;
                    if (Character.isSurrogate(c)) {
                        boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                                && Character.isLowSurrogate(text.charAt(i + 1));
                        if (paired) {
                            out.append(c).append(text.charAt(++i));
                        } else {
                            out.append(' ');
                        }
                    } else {
                        out.append(allowed ? c : ' ');
                    }
                }
            }
        }
        return out.toString();
    }
}
