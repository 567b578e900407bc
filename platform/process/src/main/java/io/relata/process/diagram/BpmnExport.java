package io.relata.process.diagram;

import io.relata.api.model.EntityDefinition;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TimerDefinition;
import io.relata.api.rules.RuleDefinition;
import io.relata.process.diagram.DiagramLayout.Card;
import io.relata.process.diagram.DiagramLayout.Point;
import io.relata.process.diagram.DiagramLayout.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a process as BPMN 2.0 XML that Camunda Modeler and bpmn.io open with the same layout as the SVG
 * ({@link DiagramLayout}). The mapping:
 * <ul>
 * <li>a start event, flowing into the first phase;</li>
 * <li>each phase a user task named by its label (required fields, reason, actions and timers in its
 * documentation);</li>
 * <li>each transition a sequence flow ({@code *} spelled out per open phase), named by its label; an
 * automatic move's condition, else the guard, is the {@code conditionExpression} (language javascript);
 * when a move has both, the guard goes into the flow's documentation;</li>
 * <li>each closing phase followed by an end event;</li>
 * <li>each timer a boundary timer event on its phase with {@code timeDuration} in ISO-8601: interrupting,
 * with a flow to the target, if it moves the phase; non-interrupting (the record stays) otherwise.</li>
 * </ul>
 * The process is not executable: it documents what the Relata process engine does.
 */
public final class BpmnExport {

    static final String BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    private static final double EVENT = 36;
    private static final double MARGIN = 40;

    private BpmnExport() {
    }

    /**
     * @param entity for phase and field labels; null shows names instead
     * @throws IllegalArgumentException if a transition or a timer's move names a phase the process lacks
     */
    public static String xml(ProcessDefinition process, EntityDefinition entity, Locale locale) {
        return xml(process, entity, locale, null);
    }

    /** As {@link #xml(ProcessDefinition, EntityDefinition, Locale)}, naming roles and mails by their labels in {@code model}. */
    public static String xml(ProcessDefinition process, EntityDefinition entity, Locale locale,
                             io.relata.api.model.MetadataModel model) {
        Objects.requireNonNull(process, "process");
        DiagramText text = new DiagramText(process, entity, locale, model);
        return new Writer(process, text, new DiagramLayout(process, text)).write();
    }

    /** Where a flow node is drawn (DI bounds, before the shift to positive coordinates). */
    private record Shape(String id, double x, double y, double width, double height) {
    }

    private record Flow(String id, String name, String source, String target, RuleDefinition condition,
                        String documentation, List<Point> waypoints) {
    }

    private static final class Writer {
        private final ProcessDefinition process;
        private final DiagramText text;
        private final DiagramLayout layout;
        private final Set<String> usedIds = new HashSet<>();
        private final Map<String, String> taskIds = new LinkedHashMap<>();
        private final List<Flow> flows = new ArrayList<>();
        private final Map<String, List<String>> incoming = new LinkedHashMap<>();
        private final Map<String, List<String>> outgoing = new LinkedHashMap<>();
        private final List<Shape> shapes = new ArrayList<>();
        private final StringBuilder nodes = new StringBuilder();
        private final double dx;
        private final double dy;

        Writer(ProcessDefinition process, DiagramText text, DiagramLayout layout) {
            this.process = process;
            this.text = text;
            this.layout = layout;
            this.dx = MARGIN - layout.minX;
            this.dy = MARGIN - layout.minY;
        }

        String write() {
            String processId = id("Process_" + process.name());
            String startId = id("Start");
            for (Card card : layout.cards) {
                taskIds.put(card.phase.name(), id("Phase_" + card.phase.name()));
            }
            double right = layout.maxX + 50;
            double bottom = layout.maxY + 56;
            if (layout.initial != null) {
                Point start = layout.start;
                shapes.add(new Shape(startId, start.x() - EVENT / 2, start.y() - EVENT / 2, EVENT, EVENT));
                flow(new Flow(id("Flow_start"), null, startId, taskIds.get(layout.initial.phase.name()), null, null,
                        List.of(new Point(start.x() + EVENT / 2, start.y()), new Point(layout.initial.x, start.y()))));
            }
            for (Route route : layout.routes) {
                RuleDefinition condition = route.move.automatic() ? route.move.when() : route.move.guard();
                String documentation = route.move.automatic() && route.move.guard() != null
                        ? text.word("guard") + ": " + DiagramText.ruleInFull(route.move.guard()) : null;
                String name = route.label.isEmpty() ? null : DiagramText.shorten(route.label, 220, 11, false);
                flow(new Flow(id("Flow_" + route.move.from() + "_to_" + route.move.to()), name,
                        taskIds.get(route.move.from()), taskIds.get(route.move.to()), condition, documentation,
                        route.points));
            }
            Map<String, String> endIds = new LinkedHashMap<>();
            for (Card card : layout.cards) {
                if (card.phase.isClosing()) {
                    String endId = id("End_" + card.phase.name());
                    endIds.put(card.phase.name(), endId);
                    double y = card.centerY();
                    shapes.add(new Shape(endId, right, y - EVENT / 2, EVENT, EVENT));
                    flow(new Flow(id("Flow_" + card.phase.name() + "_end"), null, taskIds.get(card.phase.name()), endId,
                            null, null, List.of(new Point(card.right(), y), new Point(right, y))));
                }
            }
            List<String> timerNodes = timers(bottom);

            startElement(startId);
            for (Card card : layout.cards) {
                String taskId = taskIds.get(card.phase.name());
                shapes.add(new Shape(taskId, card.x, card.y, card.w, card.h));
                nodes.append("    <bpmn:userTask id=\"").append(taskId).append("\" name=\"")
                        .append(DiagramText.xml(card.label)).append("\">\n");
                List<String> documentation = new ArrayList<>(card.details);
                documentation.addAll(card.timers);
                documentation(documentation.isEmpty() ? null : String.join("\n", documentation), "      ");
                nodes.append(references(taskId));
                nodes.append("    </bpmn:userTask>\n");
            }
            endIds.values().forEach(endId -> {
                nodes.append("    <bpmn:endEvent id=\"").append(endId).append("\">\n");
                nodes.append(references(endId));
                nodes.append("    </bpmn:endEvent>\n");
            });
            timerNodes.forEach(nodes::append);
            for (Flow flow : flows) {
                nodes.append("    <bpmn:sequenceFlow id=\"").append(flow.id()).append('"');
                if (flow.name() != null) {
                    nodes.append(" name=\"").append(DiagramText.xml(flow.name())).append('"');
                }
                nodes.append(" sourceRef=\"").append(flow.source()).append("\" targetRef=\"").append(flow.target())
                        .append('"');
                if (flow.condition() == null && flow.documentation() == null) {
                    nodes.append("/>\n");
                    continue;
                }
                nodes.append(">\n");
                documentation(flow.documentation(), "      ");
                if (flow.condition() != null) {
                    nodes.append("      <bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\" ")
                            .append("language=\"javascript\">")
                            .append(DiagramText.xml(flow.condition().source() == null ? "" : flow.condition().source()))
                            .append("</bpmn:conditionExpression>\n");
                }
                nodes.append("    </bpmn:sequenceFlow>\n");
            }
            return document(processId);
        }

        private void startElement(String startId) {
            if (layout.initial == null) {
                return;
            }
            nodes.append("    <bpmn:startEvent id=\"").append(startId).append("\" name=\"")
                    .append(DiagramText.xml(text.word("start"))).append("\">\n")
                    .append(references(startId))
                    .append("    </bpmn:startEvent>\n");
        }

        /** Boundary events for the timers; returns their XML (written after the tasks). */
        private List<String> timers(double bottom) {
            List<String> elements = new ArrayList<>();
            int moving = 0;
            for (Card card : layout.cards) {
                List<TimerDefinition> timers = card.phase.timers();
                for (int k = 0; k < timers.size(); k++) {
                    TimerDefinition timer = timers.get(k);
                    String timerId = id("Timer_" + card.phase.name() + "_" + timer.name());
                    double x = card.x + 14 + k * (EVENT + 8);
                    double y = card.bottom() - EVENT / 2;
                    shapes.add(new Shape(timerId, x, y, EVENT, EVENT));
                    List<String> targets = timer.actions().stream()
                            .filter(a -> a instanceof ProcessAction.MovePhase)
                            .map(a -> ((ProcessAction.MovePhase) a).phase())
                            .distinct()
                            .toList();
                    for (String target : targets) {
                        Card to = layout.card(target);
                        if (to == null) {
                            throw new IllegalArgumentException("Process '" + process.name() + "': the timer '"
                                    + timer.name() + "' of phase '" + card.phase.name() + "' (" + timer.source()
                                    + ") moves to the phase '" + target + "', which the process does not have");
                        }
                        double laneY = bottom + moving++ * 24;
                        double centerX = x + EVENT / 2;
                        double targetX = to.x + to.w / 2;
                        flow(new Flow(id("Flow_" + timerId + "_to_" + target), text.when(timer), timerId, taskIds.get(target), null, null,
                                List.of(new Point(centerX, y + EVENT), new Point(centerX, laneY),
                                        new Point(targetX, laneY), new Point(targetX, to.bottom()))));
                    }
                    StringBuilder element = new StringBuilder("    <bpmn:boundaryEvent id=\"").append(timerId)
                            .append("\" name=\"").append(DiagramText.xml(text.timer(timer)))
                            .append("\" attachedToRef=\"").append(taskIds.get(card.phase.name()))
                            .append("\" cancelActivity=\"").append(!targets.isEmpty()).append("\">\n");
                    element.append(references(timerId));
                    element.append("      <bpmn:timerEventDefinition id=\"").append(id(timerId + "_definition"))
                            .append("\">\n        ").append(timerTime(timer))
                            .append("\n      </bpmn:timerEventDefinition>\n    </bpmn:boundaryEvent>\n");
                    elements.add(element.toString());
                }
            }
            return elements;
        }

        private void flow(Flow flow) {
            flows.add(flow);
            outgoing.computeIfAbsent(flow.source(), k -> new ArrayList<>()).add(flow.id());
            incoming.computeIfAbsent(flow.target(), k -> new ArrayList<>()).add(flow.id());
        }

        /** The node's incoming and outgoing flows, as BPMN lists them in the node (incoming first). */
        private String references(String nodeId) {
            StringBuilder references = new StringBuilder();
            for (String flowId : incoming.getOrDefault(nodeId, List.of())) {
                references.append("      <bpmn:incoming>").append(flowId).append("</bpmn:incoming>\n");
            }
            for (String flowId : outgoing.getOrDefault(nodeId, List.of())) {
                references.append("      <bpmn:outgoing>").append(flowId).append("</bpmn:outgoing>\n");
            }
            return references.toString();
        }

        private void documentation(String documentation, String indent) {
            if (documentation != null) {
                nodes.append(indent).append("<bpmn:documentation>").append(DiagramText.xml(documentation))
                        .append("</bpmn:documentation>\n");
            }
        }

        private String document(String processId) {
            String name = process.name();
            StringBuilder xml = new StringBuilder(nodes.length() * 2 + 2048);
            xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                    .append("<bpmn:definitions xmlns:bpmn=\"").append(BPMN).append("\"\n")
                    .append("    xmlns:bpmndi=\"http://www.omg.org/spec/BPMN/20100524/DI\"\n")
                    .append("    xmlns:dc=\"http://www.omg.org/spec/DD/20100524/DC\"\n")
                    .append("    xmlns:di=\"http://www.omg.org/spec/DD/20100524/DI\"\n")
                    .append("    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n")
                    .append("    id=\"").append(id("Definitions_" + name)).append("\" targetNamespace=\"")
                    .append(DiagramText.xml("urn:relata:process:" + name.replaceAll("[^A-Za-z0-9._-]", "_")))
                    .append("\" exporter=\"Relata\" exporterVersion=\"1\">\n");
            xml.append("  <bpmn:process id=\"").append(processId).append("\" name=\"")
                    .append(DiagramText.xml(text.processLabel())).append("\" isExecutable=\"false\">\n");
            String about = text.entityLabel() + " · " + name + " · " + process.phaseField()
                    + (process.appliesWhen() == null ? ""
                    : "\n" + text.word("appliesWhen") + ": " + DiagramText.ruleInFull(process.appliesWhen()));
            xml.append("    <bpmn:documentation>").append(DiagramText.xml(about)).append("</bpmn:documentation>\n");
            xml.append(nodes);
            xml.append("  </bpmn:process>\n");
            xml.append("  <bpmndi:BPMNDiagram id=\"").append(id("Diagram_" + name)).append("\">\n");
            xml.append("    <bpmndi:BPMNPlane id=\"").append(id("Plane_" + name)).append("\" bpmnElement=\"")
                    .append(processId).append("\">\n");
            for (Shape shape : shapes) {
                xml.append("      <bpmndi:BPMNShape id=\"").append(id(shape.id() + "_di")).append("\" bpmnElement=\"")
                        .append(shape.id()).append("\">\n        <dc:Bounds x=\"").append(ProcessDiagram.n(shape.x() + dx))
                        .append("\" y=\"").append(ProcessDiagram.n(shape.y() + dy)).append("\" width=\"")
                        .append(ProcessDiagram.n(shape.width())).append("\" height=\"")
                        .append(ProcessDiagram.n(shape.height())).append("\"/>\n      </bpmndi:BPMNShape>\n");
            }
            for (Flow flow : flows) {
                xml.append("      <bpmndi:BPMNEdge id=\"").append(id(flow.id() + "_di")).append("\" bpmnElement=\"")
                        .append(flow.id()).append("\">\n");
                for (Point point : flow.waypoints()) {
                    xml.append("        <di:waypoint x=\"").append(ProcessDiagram.n(point.x() + dx)).append("\" y=\"")
                            .append(ProcessDiagram.n(point.y() + dy)).append("\"/>\n");
                }
                xml.append("      </bpmndi:BPMNEdge>\n");
            }
            xml.append("    </bpmndi:BPMNPlane>\n  </bpmndi:BPMNDiagram>\n</bpmn:definitions>\n");
            return xml.toString();
        }

        /** A unique XML id (NCName) made from {@code wanted}: other characters become "_". */
        private String id(String wanted) {
            StringBuilder id = new StringBuilder();
            wanted.codePoints().forEach(c -> id.appendCodePoint(
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
                            || c == '.' ? c : '_'));
            if (id.length() == 0 || !(Character.isLetter(id.charAt(0)) || id.charAt(0) == '_')) {
                id.insert(0, '_');
            }
            String unique = id.toString();
            for (int n = 2; !usedIds.add(unique); n++) {
                unique = id + "_" + n;
            }
            return unique;
        }
    }

    /** ISO-8601 with days kept as days ("P3D", "P1DT12H"), which {@link Duration#toString()} does not do. */
    /**
     * A duration from entering the phase, or for a timer counted from a date field the moment as an expression
     * over that field (engines such as Camunda evaluate {@code ${...}} in a timeDate).
     */
    static String timerTime(TimerDefinition timer) {
        if (!timer.anchored()) {
            return "<bpmn:timeDuration xsi:type=\"bpmn:tFormalExpression\">" + iso(timer.after()) + "</bpmn:timeDuration>";
        }
        return "<bpmn:timeDate xsi:type=\"bpmn:tFormalExpression\">${" + timer.anchor() + "} "
                + (timer.after().isNegative() ? "- " : "+ ") + iso(timer.after().abs()) + "</bpmn:timeDate>";
    }

    static String iso(Duration duration) {
        if (duration == null || duration.isZero()) {
            return "PT0S";
        }
        StringBuilder iso = new StringBuilder(duration.isNegative() ? "-P" : "P");
        Duration positive = duration.abs();
        if (positive.toDays() > 0) {
            iso.append(positive.toDays()).append('D');
        }
        StringBuilder time = new StringBuilder();
        if (positive.toHoursPart() > 0) {
            time.append(positive.toHoursPart()).append('H');
        }
        if (positive.toMinutesPart() > 0) {
            time.append(positive.toMinutesPart()).append('M');
        }
        if (positive.toSecondsPart() > 0 || positive.toNanosPart() > 0) {
            time.append(positive.toSecondsPart());
            if (positive.toNanosPart() > 0) {
                time.append('.').append(String.format(Locale.ROOT, "%09d", positive.toNanosPart()).replaceAll("0+$", ""));
            }
            time.append('S');
        }
        if (time.length() > 0) {
            iso.append('T').append(time);
        }
        return iso.toString();
    }
}
