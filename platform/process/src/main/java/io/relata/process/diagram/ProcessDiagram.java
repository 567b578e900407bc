package io.relata.process.diagram;

import io.relata.api.model.EntityDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessDefinition;
import io.relata.process.diagram.DiagramLayout.Card;
import io.relata.process.diagram.DiagramLayout.Point;
import io.relata.process.diagram.DiagramLayout.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Draws a process as a standalone SVG: the process's title; its phases as rounded boxes left to right in
 * pipeline order (open phases blue on the main row, closing phases at the right: success green, failure
 * red), each with required fields, closing reason, actions and timers (clock notes); its transitions as
 * arrows with their guards in [brackets] and automatic moves dashed with their condition; full rule texts
 * in tooltips; a legend. See {@link DiagramLayout} for how it is laid out.
 *
 * <p>The SVG uses only presentation attributes (no style sheet, no script) and ids made from the process
 * name, so several diagrams can be inlined into one HTML page. Phase boxes carry {@code data-phase}, arrows
 * {@code data-from}/{@code data-to}, for pages that make them clickable.
 */
public final class ProcessDiagram {

    private static final String FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
    private static final String EDGE = "#64748b";
    private static final String LABEL = "#334155";
    private static final String DETAIL = "#475569";
    private static final double MARGIN = 24;

    private ProcessDiagram() {
    }

    /**
     * @param entity the process's entity, for the labels of phases (options of the phase field) and fields;
     *               null shows names instead
     * @param locale the language of labels and words (German or English; other languages fall back to English)
     * @throws IllegalArgumentException if a transition names a phase the process does not have
     */
    public static String svg(ProcessDefinition process, EntityDefinition entity, Locale locale) {
        return svg(process, entity, locale, null);
    }

    /** As {@link #svg(ProcessDefinition, EntityDefinition, Locale)}, naming roles and mails by their labels in {@code model}. */
    public static String svg(ProcessDefinition process, EntityDefinition entity, Locale locale,
                             io.relata.api.model.MetadataModel model) {
        Objects.requireNonNull(process, "process");
        DiagramText text = new DiagramText(process, entity, locale, model);
        DiagramLayout layout = new DiagramLayout(process, text);
        return new ProcessDiagram.Writer(process, text, layout).write();
    }

    private static final class Writer {
        private final ProcessDefinition process;
        private final DiagramText text;
        private final DiagramLayout layout;
        private final String markerId;
        private final StringBuilder body = new StringBuilder();
        private double minX;
        private double minY;
        private double maxX;
        private double maxY;

        Writer(ProcessDefinition process, DiagramText text, DiagramLayout layout) {
            this.process = process;
            this.text = text;
            this.layout = layout;
            this.markerId = "relata-arrow-" + process.name().replaceAll("[^A-Za-z0-9_-]", "_");
            minX = layout.minX;
            minY = layout.minY;
            maxX = layout.maxX;
            maxY = layout.maxY;
        }

        String write() {
            title();
            List<Route> dashedFirst = new ArrayList<>(layout.routes.stream().filter(r -> r.move.automatic()).toList());
            dashedFirst.addAll(layout.routes.stream().filter(r -> !r.move.automatic()).toList());
            body.append("<g fill=\"none\">\n");
            dashedFirst.forEach(this::edge);
            layout.routes.stream().filter(r -> r.junction != null).forEach(r -> body.append("<circle cx=\"")
                    .append(n(r.junction.x())).append("\" cy=\"").append(n(r.junction.y()))
                    .append("\" r=\"2.8\" fill=\"").append(EDGE).append("\"/>\n"));
            body.append("</g>\n");
            startMarker();
            layout.cards.forEach(this::card);
            layout.routes.forEach(this::edgeLabel);
            if (layout.cards.isEmpty()) {
                body.append(text(0, 14, 13, false, false, "start", DETAIL, text.word("noPhases")));
                include(DiagramText.width(text.word("noPhases"), 13, false), 18);
            }
            legend();
            return document();
        }

        private String document() {
            double width = maxX - minX + 2 * MARGIN;
            double height = maxY - minY + 2 * MARGIN;
            StringBuilder svg = new StringBuilder(body.length() + 1024);
            svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(n(width)).append(' ')
                    .append(n(height)).append("\" width=\"").append(n(width)).append("\" height=\"").append(n(height))
                    .append("\" font-family=\"").append(DiagramText.xml(FONT)).append("\" role=\"img\" aria-label=\"")
                    .append(DiagramText.xml(text.processLabel())).append("\">\n");
            svg.append("<title>").append(DiagramText.xml(text.processLabel())).append("</title>\n");
            svg.append("<defs><marker id=\"").append(markerId).append("\" viewBox=\"0 0 10 10\" refX=\"9.5\" refY=\"5\" ")
                    .append("markerWidth=\"7\" markerHeight=\"7\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">")
                    .append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"").append(EDGE).append("\"/></marker></defs>\n");
            svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
            svg.append("<g transform=\"translate(").append(n(MARGIN - minX)).append(' ').append(n(MARGIN - minY))
                    .append(")\">\n");
            svg.append(body);
            svg.append("</g>\n</svg>\n");
            return svg.toString();
        }

        private void title() {
            double top = layout.minY - 58;
            String subtitle = text.entityLabel() + " · " + text.fieldLabel(process.phaseField());
            if (process.appliesWhen() != null) {
                subtitle += " · " + text.word("appliesWhen") + " " + DiagramText.ruleSummary(process.appliesWhen());
            }
            String shortSubtitle = DiagramText.shorten(subtitle, Math.max(420, layout.maxX - layout.minX), 12, false);
            body.append("<g>");
            if (process.appliesWhen() != null) {
                body.append("<title>").append(DiagramText.xml(text.word("appliesWhen") + ": "
                        + DiagramText.ruleInFull(process.appliesWhen()))).append("</title>");
            }
            body.append(text(layout.minX, top + 18, 18, true, false, "start", "#0f172a", text.processLabel()));
            body.append(text(layout.minX, top + 38, 12, false, false, "start", DETAIL, shortSubtitle));
            body.append("</g>\n");
            include(layout.minX, top);
            include(layout.minX + DiagramText.width(text.processLabel(), 18, true), top + 42);
            include(layout.minX + DiagramText.width(shortSubtitle, 12, false), top + 42);
        }

        private void edge(Route route) {
            body.append("<g data-from=\"").append(DiagramText.xml(route.move.from())).append("\" data-to=\"")
                    .append(DiagramText.xml(route.move.to())).append("\">");
            body.append("<title>").append(DiagramText.xml(edgeTooltip(route))).append("</title>");
            body.append("<path d=\"").append(path(route.points)).append("\" stroke=\"").append(EDGE)
                    .append("\" stroke-width=\"1.5\"");
            if (route.move.automatic()) {
                body.append(" stroke-dasharray=\"6 4\"");
            }
            body.append(" marker-end=\"url(#").append(markerId).append(")\"/></g>\n");
        }

        private void edgeLabel(Route route) {
            String label = DiagramLayout.fittedLabel(route);
            if (label.isEmpty()) {
                return;
            }
            body.append("<g data-from=\"").append(DiagramText.xml(route.move.from())).append("\" data-to=\"")
                    .append(DiagramText.xml(route.move.to())).append("\" class=\"move-label\">");
            body.append("<title>").append(DiagramText.xml(edgeTooltip(route))).append("</title>");
            body.append(halo(text(route.labelX, route.labelY, DiagramLayout.LABEL_FONT, false, route.move.automatic(),
                    route.labelCentered ? "middle" : "start", LABEL, label)));
            body.append("</g>\n");
        }

        private String edgeTooltip(Route route) {
            StringBuilder tooltip = new StringBuilder(route.from.label + " → " + route.to.label);
            if (route.move.when() != null) {
                tooltip.append('\n').append(text.word("when")).append(": ").append(DiagramText.ruleInFull(route.move.when()));
            }
            if (route.move.guard() != null) {
                tooltip.append('\n').append(text.word("guard")).append(": ")
                        .append(DiagramText.ruleInFull(route.move.guard()));
            }
            return tooltip.toString();
        }

        private void startMarker() {
            if (layout.start == null) {
                return;
            }
            Point start = layout.start;
            body.append("<g><title>").append(DiagramText.xml(text.word("start"))).append("</title>")
                    .append("<circle cx=\"").append(n(start.x())).append("\" cy=\"").append(n(start.y()))
                    .append("\" r=\"7\" fill=\"#334155\"/>")
                    .append("<path d=\"M").append(n(start.x() + 7)).append(',').append(n(start.y())).append(" L")
                    .append(n(layout.initial.x)).append(',').append(n(start.y())).append("\" stroke=\"").append(EDGE)
                    .append("\" stroke-width=\"1.5\" fill=\"none\" marker-end=\"url(#").append(markerId).append(")\"/>")
                    .append("</g>\n");
        }

        private void card(Card card) {
            PhaseOutcome outcome = card.phase.outcome();
            String fill = switch (outcome) {
                case OPEN -> "#eef4fd";
                case SUCCESS -> "#e7f6ec";
                case FAILURE -> "#fcecec";
            };
            String stroke = switch (outcome) {
                case OPEN -> "#4a72c4";
                case SUCCESS -> "#2f8a53";
                case FAILURE -> "#c0504d";
            };
            String ink = switch (outcome) {
                case OPEN -> "#1e2f52";
                case SUCCESS -> "#1b4d30";
                case FAILURE -> "#5f1d1c";
            };
            double textWidth = card.w - 2 * DiagramLayout.TEXT_INSET;
            body.append("<g data-phase=\"").append(DiagramText.xml(card.phase.name())).append("\">");
            body.append("<title>").append(DiagramText.xml(cardTooltip(card))).append("</title>");
            body.append("<rect x=\"").append(n(card.x)).append("\" y=\"").append(n(card.y)).append("\" width=\"")
                    .append(n(card.w)).append("\" height=\"").append(n(card.h)).append("\" rx=\"10\" ry=\"10\" fill=\"")
                    .append(fill).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"")
                    .append(outcome.isClosing() ? "2.5" : "1.5").append("\"/>");
            body.append(text(card.x + card.w / 2, card.y + 22, DiagramLayout.TITLE_FONT, true, false, "middle", ink,
                    DiagramText.shorten(card.label, textWidth, DiagramLayout.TITLE_FONT, true)));
            if (!card.lines.isEmpty()) {
                double dividerY = card.y + DiagramLayout.HEADER;
                body.append("<path d=\"M").append(n(card.x + 10)).append(',').append(n(dividerY)).append(" H")
                        .append(n(card.right() - 10)).append("\" stroke=\"").append(stroke)
                        .append("\" stroke-opacity=\"0.35\" fill=\"none\"/>");
            }
            double baseline = card.y + DiagramLayout.HEADER + 6 + 11;
            long timerLines = card.lines.stream().filter(DiagramLayout.CardLine::timer).count();
            for (DiagramLayout.CardLine line : card.lines) {
                if (line.timer() && line.firstOfItem() && line == firstTimerLine(card)) {
                    body.append("<rect x=\"").append(n(card.x + 5)).append("\" y=\"").append(n(baseline - 12))
                            .append("\" width=\"").append(n(card.w - 10)).append("\" height=\"")
                            .append(n(DiagramLayout.LINE * timerLines + 4))
                            .append("\" rx=\"4\" ry=\"4\" fill=\"#fff7e0\" stroke=\"#e0b54a\" stroke-width=\"0.8\"/>");
                }
                if (line.timer() && line.firstOfItem()) {
                    clock(card.x + 15, baseline - 4);
                }
                double x = card.x + (line.timer() ? DiagramLayout.TIMER_INSET : DiagramLayout.TEXT_INSET)
                        + (line.firstOfItem() || line.timer() ? 0 : 8);
                body.append(text(x, baseline, DiagramLayout.DETAIL_FONT, false, false, "start",
                        line.timer() ? "#6b4e00" : DETAIL, line.text()));
                baseline += DiagramLayout.LINE;
            }
            body.append("</g>\n");
        }

        private static DiagramLayout.CardLine firstTimerLine(Card card) {
            return card.lines.stream().filter(DiagramLayout.CardLine::timer).findFirst().orElse(null);
        }

        private String cardTooltip(Card card) {
            StringBuilder tooltip = new StringBuilder(card.label);
            tooltip.append(" · ").append(text.word(card.phase.outcome().yamlName()));
            card.details.forEach(d -> tooltip.append('\n').append(d));
            card.timers.forEach(t -> tooltip.append('\n').append(t));
            return tooltip.toString();
        }

        private void clock(double x, double y) {
            body.append("<circle cx=\"").append(n(x)).append("\" cy=\"").append(n(y))
                    .append("\" r=\"4.5\" fill=\"#ffffff\" stroke=\"#8a6500\" stroke-width=\"1\"/>")
                    .append("<path d=\"M").append(n(x)).append(',').append(n(y - 3)).append(" V").append(n(y))
                    .append(" H").append(n(x + 2.5)).append("\" stroke=\"#8a6500\" stroke-width=\"1\" fill=\"none\"/>");
        }

        private void legend() {
            double y = layout.maxY + 34;
            double x = layout.minX;
            body.append("<g font-size=\"11\" fill=\"").append(DETAIL).append("\">");
            body.append("<path d=\"M").append(n(x)).append(',').append(n(y - 4)).append(" H").append(n(x + 28))
                    .append("\" stroke=\"").append(EDGE).append("\" stroke-width=\"1.5\" marker-end=\"url(#")
                    .append(markerId).append(")\"/>");
            x = legendText(x + 34, y, text.word("userMove"));
            body.append("<path d=\"M").append(n(x)).append(',').append(n(y - 4)).append(" H").append(n(x + 28))
                    .append("\" stroke=\"").append(EDGE).append("\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\" ")
                    .append("marker-end=\"url(#").append(markerId).append(")\"/>");
            x = legendText(x + 34, y, text.word("automaticMove"));
            x = legendText(x, y, text.word("guardLegend"));
            clock(x + 5, y - 4);
            x = legendText(x + 14, y, text.word("timer"));
            x = swatch(x, y, "#e7f6ec", "#2f8a53", text.word("success"));
            swatch(x, y, "#fcecec", "#c0504d", text.word("failure"));
            body.append("</g>\n");
        }

        private double swatch(double x, double y, String fill, String stroke, String label) {
            body.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y - 10)).append("\" width=\"14\" ")
                    .append("height=\"11\" rx=\"3\" ry=\"3\" fill=\"").append(fill).append("\" stroke=\"")
                    .append(stroke).append("\" stroke-width=\"1.5\"/>");
            return legendText(x + 19, y, label);
        }

        private double legendText(double x, double y, String label) {
            body.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\">")
                    .append(DiagramText.xml(label)).append("</text>");
            double end = x + DiagramText.width(label, 11, false);
            include(end, y + 4);
            return end + 18;
        }

        private String text(double x, double y, double size, boolean bold, boolean italic, String anchor, String fill,
                            String content) {
            return "<text x=\"" + n(x) + "\" y=\"" + n(y) + "\" font-size=\"" + n(size) + "\""
                    + (bold ? " font-weight=\"600\"" : "") + (italic ? " font-style=\"italic\"" : "")
                    + ("start".equals(anchor) ? "" : " text-anchor=\"" + anchor + "\"") + " fill=\"" + fill + "\">"
                    + DiagramText.xml(content) + "</text>";
        }

        /** White outline under the letters, so a label stays readable where it crosses a line. */
        private static String halo(String textElement) {
            return textElement.replaceFirst("<text ", "<text stroke=\"#ffffff\" stroke-width=\"3\" "
                    + "stroke-linejoin=\"round\" paint-order=\"stroke\" ");
        }

        /** An orthogonal polyline with rounded corners. */
        private static String path(List<Point> points) {
            StringBuilder d = new StringBuilder("M").append(n(points.get(0).x())).append(',').append(n(points.get(0).y()));
            for (int i = 1; i < points.size(); i++) {
                Point corner = points.get(i);
                if (i == points.size() - 1) {
                    d.append(" L").append(n(corner.x())).append(',').append(n(corner.y()));
                    break;
                }
                Point before = points.get(i - 1);
                Point after = points.get(i + 1);
                double radius = Math.min(8, Math.min(distance(before, corner), distance(corner, after)) / 2);
                Point in = toward(corner, before, radius);
                Point out = toward(corner, after, radius);
                d.append(" L").append(n(in.x())).append(',').append(n(in.y()))
                        .append(" Q").append(n(corner.x())).append(',').append(n(corner.y())).append(' ')
                        .append(n(out.x())).append(',').append(n(out.y()));
            }
            return d.toString();
        }

        private static double distance(Point a, Point b) {
            return Math.hypot(a.x() - b.x(), a.y() - b.y());
        }

        private static Point toward(Point from, Point to, double length) {
            double distance = distance(from, to);
            if (distance == 0) {
                return from;
            }
            return new Point(from.x() + (to.x() - from.x()) * length / distance,
                    from.y() + (to.y() - from.y()) * length / distance);
        }

        private void include(double x, double y) {
            minX = Math.min(minX, x);
            minY = Math.min(minY, y);
            maxX = Math.max(maxX, x);
            maxY = Math.max(maxY, y);
        }
    }

    /** A coordinate with at most one decimal, the same on every platform. */
    static String n(double value) {
        long tenths = Math.round(value * 10);
        String sign = tenths < 0 ? "-" : "";
        long abs = Math.abs(tenths);
        return abs % 10 == 0 ? sign + abs / 10 : sign + abs / 10 + "." + abs % 10;
    }
}
