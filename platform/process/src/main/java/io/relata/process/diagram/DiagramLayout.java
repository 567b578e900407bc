package io.relata.process.diagram;

import io.relata.api.model.SourceLocation;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TransitionDefinition;
import io.relata.api.rules.RuleDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where everything of a process diagram goes; shared by the SVG and the BPMN export so both look alike.
 *
 * <p>Open phases stand on one row in pipeline order, followed by the first success phase; the other closing
 * phases stand in the same column as that one, other success phases above the row, failure phases below.
 * Moves to the next phase on the row are straight arrows. Every other move runs orthogonally on a horizontal
 * track: skips forward above the row, moves backward below it (each on its own track, shorter moves
 * nearer the row, so nested moves never cross), moves into a column phase on a "bus" at the height of that
 * phase's centre (all moves into one closing phase share it, which keeps "from any phase to cancelled"
 * readable), and moves out of the column on lanes right of it. Ports on a box's side are ordered so that
 * tracks nest instead of crossing.
 */
final class DiagramLayout {

    static final double HEADER = 34;
    static final double LINE = 15;
    static final double LABEL_FONT = 11;
    static final double DETAIL_FONT = 11;
    static final double TITLE_FONT = 13;
    private static final double MIN_WIDTH = 160;
    private static final double MAX_WIDTH = 250;
    private static final int MAX_LINES_PER_ITEM = 3;
    static final double TEXT_INSET = 10;
    static final double TIMER_INSET = 24;
    private static final double MIN_GAP = 64;
    private static final double MAX_GAP = 230;
    private static final double COLUMN_GAP = 96;
    private static final double FIRST_TRACK = 30;
    private static final double TRACK = 24;
    private static final double CLEARANCE = 20;
    private static final double CARD_GAP = 22;
    private static final double FIRST_LANE = 20;
    private static final double LANE = 14;
    private static final double START_OFFSET = 48;

    record Point(double x, double y) {
    }

    /** Where a phase's box stands. */
    enum Placement {
        ROW, ABOVE, BELOW
    }

    /** How a move is drawn (see the class comment). */
    enum Kind {
        STRAIGHT, OVER, UNDER, BUS_ABOVE, BUS_BELOW, RIGHT_LANE, OUTER
    }

    /**
     * One move between two phases: a transition of the model, with {@code *} (from any open phase) spelled out.
     */
    record Move(int index, String from, String to, RuleDefinition guard, RuleDefinition when, SourceLocation source) {
        boolean automatic() {
            return when != null;
        }
    }

    /**
     * One line of text under a phase's label, wrapped to the box.
     *
     * @param timer      part of a timer's note (drawn with a clock on its first line)
     * @param firstOfItem the first line of a detail or timer (later lines continue it)
     */
    record CardLine(String text, boolean timer, boolean firstOfItem) {
    }

    /** A phase's box: label, detail lines (requires, reason, actions) and timer lines. */
    static final class Card {
        final PhaseDefinition phase;
        final String label;
        final List<String> details;
        final List<String> timers;
        List<CardLine> lines = List.of();
        Placement placement;
        int row = -1;
        double x;
        double y;
        double w;
        double h;

        Card(PhaseDefinition phase, String label, List<String> details, List<String> timers) {
            this.phase = phase;
            this.label = label;
            this.details = List.copyOf(details);
            this.timers = List.copyOf(timers);
        }

        double contentHeight() {
            return HEADER + (lines.isEmpty() ? 0 : 6 + LINE * lines.size() + 8);
        }

        double right() {
            return x + w;
        }

        double bottom() {
            return y + h;
        }

        double centerY() {
            return y + h / 2;
        }

        /** The height of the straight arrows between boxes on the row: the middle of the label. */
        double arrowY() {
            return placement == Placement.ROW ? y + HEADER / 2 : centerY();
        }
    }

    /** How a move is drawn: its path, and where its label goes. */
    static final class Route {
        final Move move;
        final Kind kind;
        final Card from;
        final Card to;
        final String label;
        int track;
        List<Point> points = List.of();
        Point junction;
        double labelX;
        double labelY;
        boolean labelCentered;
        double labelMaxWidth;

        Route(Move move, Kind kind, Card from, Card to, String label) {
            this.move = move;
            this.kind = kind;
            this.from = from;
            this.to = to;
            this.label = label;
        }
    }

    /**
     * A route's end on one side of a box. On top and bottom: {@code group} 0 if the other end is further left,
     * 1 for a move from a phase to itself, 2 if further right, {@code order} the track's distance from the row;
     * on the right side: {@code order} is the height of the other end.
     */
    private record PortRequest(Route route, boolean outgoing, int group, double order) {
    }

    /**
     * Left to right: moves to the left (inner tracks at the corner), moves to itself (in, then out), moves to
     * the right (inner tracks at the corner): so tracks nest like brackets and never cross at a box.
     */
    private static final Comparator<PortRequest> NESTED = Comparator.<PortRequest>comparingInt(PortRequest::group)
            .thenComparingDouble(p -> switch (p.group()) {
                case 0 -> p.order();
                case 2 -> -p.order();
                default -> p.outgoing() ? 1 : 0;
            })
            .thenComparingInt(p -> p.route().move.index());

    /** Top to bottom on a right side: by the height of the other end, outgoing before incoming. */
    private static final Comparator<PortRequest> BY_OTHER_END_HEIGHT = Comparator
            .comparingDouble(PortRequest::order)
            .thenComparingInt(p -> p.outgoing() ? 0 : 1)
            .thenComparingInt(p -> p.route().move.index());

    final ProcessDefinition process;
    final DiagramText text;
    final List<Card> cards = new ArrayList<>();
    final List<Route> routes = new ArrayList<>();
    final double cardWidth;
    Card initial;
    Point start;
    double minX;
    double minY;
    double maxX;
    double maxY;

    private final Map<String, Card> cardsByPhase = new LinkedHashMap<>();
    private final List<Card> row = new ArrayList<>();
    private final List<Card> above = new ArrayList<>();
    private final List<Card> below = new ArrayList<>();
    private Card rowSuccess;
    private double columnX;
    private int nearAbove;
    private int nearBelow;

    DiagramLayout(ProcessDefinition process, DiagramText text) {
        this.process = process;
        this.text = text;
        for (PhaseDefinition phase : process.phases()) {
            if (cardsByPhase.containsKey(phase.name())) {
                throw new IllegalArgumentException("Process '" + process.name() + "' (" + phase.source()
                        + ") has the phase '" + phase.name() + "' twice: give every phase its own name");
            }
            Card card = new Card(phase, text.phaseLabel(phase), text.detailLines(phase),
                    phase.timers().stream().map(text::timer).toList());
            cards.add(card);
            cardsByPhase.put(phase.name(), card);
        }
        cardWidth = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, cards.stream()
                .mapToDouble(DiagramLayout::preferredWidth).max().orElse(MIN_WIDTH)));
        for (Card card : cards) {
            card.w = cardWidth;
            List<CardLine> lines = new ArrayList<>();
            card.details.forEach(d -> wrap(d, cardWidth - 2 * TEXT_INSET, false).forEach(lines::add));
            card.timers.forEach(t -> wrap(t, cardWidth - TIMER_INSET - TEXT_INSET, true).forEach(lines::add));
            card.lines = List.copyOf(lines);
        }
        place();
        List<Move> moves = moves(process);
        for (Move move : moves) {
            Card from = cardsByPhase.get(move.from());
            Card to = cardsByPhase.get(move.to());
            routes.add(new Route(move, kind(from, to), from, to, moveLabel(move, text)));
        }
        positionRow();
        assignTracks();
        placeColumn();
        routeAll();
        if (!cards.isEmpty()) {
            initial = cardsByPhase.get(process.initialPhase().name());
            start = new Point(initial.x - START_OFFSET, initial.arrowY());
        }
        measure();
    }

    private static double preferredWidth(Card card) {
        double width = DiagramText.width(card.label, TITLE_FONT, true) + 2 * TEXT_INSET + 8;
        for (String detail : card.details) {
            width = Math.max(width, DiagramText.width(detail, DETAIL_FONT, false) + 2 * TEXT_INSET);
        }
        for (String timer : card.timers) {
            width = Math.max(width, DiagramText.width(timer, DETAIL_FONT, false) + TIMER_INSET + TEXT_INSET);
        }
        return width;
    }

    /** Greedy word wrap to {@code width}; at most a few lines, the last one cut with "…" if needed. */
    static List<CardLine> wrap(String text, double width, boolean timer) {
        List<String> lines = new ArrayList<>();
        String rest = text.replaceAll("\\s+", " ").strip();
        while (!rest.isEmpty()) {
            if (lines.size() == MAX_LINES_PER_ITEM - 1 || DiagramText.width(rest, DETAIL_FONT, false) <= width) {
                lines.add(DiagramText.shorten(rest, width, DETAIL_FONT, false));
                break;
            }
            int cut = -1;
            for (int space = rest.indexOf(' '); space > 0; space = rest.indexOf(' ', space + 1)) {
                if (DiagramText.width(rest.substring(0, space), DETAIL_FONT, false) > width) {
                    break;
                }
                cut = space;
            }
            if (cut < 0) {
                String word = rest.contains(" ") ? rest.substring(0, rest.indexOf(' ')) : rest;
                lines.add(DiagramText.shorten(word, width, DETAIL_FONT, false));
                rest = rest.substring(word.length()).strip();
            } else {
                lines.add(rest.substring(0, cut));
                rest = rest.substring(cut + 1).strip();
            }
        }
        List<CardLine> wrapped = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            wrapped.add(new CardLine(lines.get(i), timer, i == 0));
        }
        return wrapped;
    }

    /** The transitions of the model as moves between two phases; fails on a phase the process lacks. */
    static List<Move> moves(ProcessDefinition process) {
        List<Move> moves = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (TransitionDefinition transition : process.transitions()) {
            requirePhase(process, transition, transition.to());
            List<String> sources = new ArrayList<>();
            if ("*".equals(transition.from())) {
                process.phases().stream().filter(p -> !p.isClosing() && !p.name().equals(transition.to()))
                        .forEach(p -> sources.add(p.name()));
            } else {
                requirePhase(process, transition, transition.from());
                sources.add(transition.from());
            }
            for (String from : sources) {
                if (seen.add(from + "\u0000" + transition.to())) {
                    moves.add(new Move(moves.size(), from, transition.to(), transition.guard(), transition.when(),
                            transition.source()));
                }
            }
        }
        return moves;
    }

    private static void requirePhase(ProcessDefinition process, TransitionDefinition transition, String phase) {
        if (process.phase(phase).isEmpty()) {
            throw new IllegalArgumentException("Process '" + process.name() + "': the transition from '"
                    + transition.from() + "' to '" + transition.to() + "' (" + transition.source()
                    + ") names the phase '" + phase + "', which the process does not have; its phases are "
                    + String.join(", ", process.phases().stream().map(PhaseDefinition::name).toList()));
        }
    }

    /** "when record.x != null [record.amount > 0 …]": the automatic condition and the guard, shortened later. */
    static String moveLabel(Move move, DiagramText text) {
        List<String> parts = new ArrayList<>();
        if (move.when() != null) {
            parts.add(text.word("when") + " " + DiagramText.ruleSummary(move.when()));
        }
        if (move.guard() != null) {
            parts.add("[" + DiagramText.ruleSummary(move.guard()) + "]");
        }
        return String.join(" ", parts);
    }

    Card card(String phase) {
        return cardsByPhase.get(phase);
    }

    private void place() {
        for (Card card : cards) {
            PhaseOutcome outcome = card.phase.outcome();
            if (outcome == PhaseOutcome.OPEN) {
                card.placement = Placement.ROW;
                row.add(card);
            } else if (outcome == PhaseOutcome.SUCCESS && rowSuccess == null) {
                rowSuccess = card;
            } else if (outcome == PhaseOutcome.SUCCESS) {
                card.placement = Placement.ABOVE;
                above.add(card);
            } else {
                card.placement = Placement.BELOW;
                below.add(card);
            }
        }
        if (rowSuccess != null) {
            rowSuccess.placement = Placement.ROW;
            row.add(rowSuccess);
        }
        for (int i = 0; i < row.size(); i++) {
            row.get(i).row = i;
        }
        double rowHeight = row.stream().mapToDouble(Card::contentHeight).max().orElse(0);
        row.forEach(c -> {
            c.y = 0;
            c.h = rowHeight;
        });
        above.forEach(c -> c.h = c.contentHeight());
        below.forEach(c -> c.h = c.contentHeight());
    }

    private boolean inColumn(Card card) {
        return card.placement != Placement.ROW || card == rowSuccess;
    }

    private Kind kind(Card from, Card to) {
        if (inColumn(from) && inColumn(to)) {
            return Kind.RIGHT_LANE;
        }
        if (inColumn(from) && from != rowSuccess) {
            return Kind.OUTER;
        }
        if (to.placement == Placement.ABOVE) {
            return Kind.BUS_ABOVE;
        }
        if (to.placement == Placement.BELOW) {
            return Kind.BUS_BELOW;
        }
        if (to.row == from.row + 1) {
            return Kind.STRAIGHT;
        }
        return to.row > from.row ? Kind.OVER : Kind.UNDER;
    }

    private void positionRow() {
        double x = 0;
        for (int i = 0; i < row.size(); i++) {
            Card card = row.get(i);
            card.x = x;
            double gap = MIN_GAP;
            for (Route route : routes) {
                if (route.kind == Kind.STRAIGHT && route.from == card && !route.label.isEmpty()) {
                    gap = Math.max(gap, Math.min(MAX_GAP, DiagramText.width(route.label, LABEL_FONT, false) + 20));
                }
            }
            x += cardWidth + gap;
        }
        if (rowSuccess != null) {
            columnX = rowSuccess.x;
        } else {
            columnX = row.isEmpty() ? 0 : row.get(row.size() - 1).right() + COLUMN_GAP;
        }
        above.forEach(c -> c.x = columnX);
        below.forEach(c -> c.x = columnX);
    }

    /** Interval colouring of the skip and back moves: shorter moves nearer the row, overlapping ones apart. */
    private void assignTracks() {
        nearAbove = colour(routes.stream().filter(r -> r.kind == Kind.OVER).toList());
        nearBelow = colour(routes.stream().filter(r -> r.kind == Kind.UNDER).toList());
    }

    private static int colour(List<Route> spanning) {
        List<Route> ordered = new ArrayList<>(spanning);
        ordered.sort(Comparator.<Route>comparingInt(r -> Math.abs(r.to.row - r.from.row))
                .thenComparingInt(r -> Math.min(r.from.row, r.to.row))
                .thenComparingInt(r -> r.move.index()));
        List<List<int[]>> tracks = new ArrayList<>();
        for (Route route : ordered) {
            int low = Math.min(route.from.row, route.to.row);
            int high = Math.max(route.from.row, route.to.row);
            int track = 0;
            while (track < tracks.size() && overlaps(tracks.get(track), low, high)) {
                track++;
            }
            if (track == tracks.size()) {
                tracks.add(new ArrayList<>());
            }
            tracks.get(track).add(new int[] {low, high});
            route.track = track;
        }
        return tracks.size();
    }

    private static boolean overlaps(List<int[]> intervals, int low, int high) {
        return intervals.stream().anyMatch(i -> i[0] <= high && low <= i[1]);
    }

    private double aboveTrackY(int track) {
        return -FIRST_TRACK - track * TRACK;
    }

    private double rowBottom() {
        return row.isEmpty() ? 0 : row.get(0).bottom();
    }

    private double belowTrackY(int track) {
        return rowBottom() + FIRST_TRACK + track * TRACK;
    }

    /** Closing phases in the column, clear of the row and its tracks (labels sit above a track's line). */
    private void placeColumn() {
        double limit = (nearAbove > 0 ? aboveTrackY(nearAbove - 1) - 16 : 0) - CLEARANCE;
        for (Card card : above) {
            card.y = limit - card.h;
            limit = card.y - CARD_GAP;
        }
        double top = (nearBelow > 0 ? belowTrackY(nearBelow - 1) : rowBottom()) + CLEARANCE;
        if (row.isEmpty()) {
            top = 0;
        }
        for (Card card : below) {
            card.y = top;
            top = card.bottom() + CARD_GAP;
        }
    }

    private void routeAll() {
        Map<Card, Map<String, List<PortRequest>>> ports = new LinkedHashMap<>();
        int lanes = 0;
        List<Route> laneRoutes = routes.stream().filter(r -> r.kind == Kind.RIGHT_LANE || r.kind == Kind.OUTER)
                .sorted(Comparator.<Route>comparingInt(r -> r.kind == Kind.OUTER ? 1 : 0)
                        .thenComparingDouble(r -> Math.abs(r.to.centerY() - r.from.centerY()))
                        .thenComparingInt(r -> r.move.index()))
                .toList();
        Map<Route, Integer> laneOf = new LinkedHashMap<>();
        for (Route route : laneRoutes) {
            laneOf.put(route, lanes++);
        }
        List<Route> outer = routes.stream().filter(r -> r.kind == Kind.OUTER).toList();
        for (Route route : routes) {
            switch (route.kind) {
                case OVER -> {
                    request(ports, route.from, "top", new PortRequest(route, true, group(route.from, route.to), route.track));
                    request(ports, route.to, "top", new PortRequest(route, false, group(route.to, route.from), route.track));
                }
                case UNDER -> {
                    request(ports, route.from, "bottom", new PortRequest(route, true, group(route.from, route.to), route.track));
                    request(ports, route.to, "bottom", new PortRequest(route, false, group(route.to, route.from), route.track));
                }
                case BUS_ABOVE -> request(ports, route.from, "top",
                        new PortRequest(route, true, 2, nearAbove + above.indexOf(route.to)));
                case BUS_BELOW -> request(ports, route.from, "bottom",
                        new PortRequest(route, true, 2, nearBelow + below.indexOf(route.to)));
                case OUTER -> {
                    request(ports, route.from, "right", new PortRequest(route, true, 0, route.to.centerY()));
                    request(ports, route.to, "bottom", new PortRequest(route, false, 2, 1_000 + outer.indexOf(route)));
                }
                case RIGHT_LANE -> {
                    request(ports, route.from, "right", new PortRequest(route, true, 0, route.to.centerY()));
                    request(ports, route.to, "right", new PortRequest(route, false, 0, route.from.centerY()));
                }
                case STRAIGHT -> {
                }
            }
        }
        Map<PortRequest, Double> position = new LinkedHashMap<>();
        ports.forEach((card, sides) -> sides.forEach((side, requests) -> {
            List<PortRequest> ordered = new ArrayList<>(requests);
            ordered.sort(side.equals("right") ? BY_OTHER_END_HEIGHT : NESTED);
            double length = side.equals("right") ? card.h : card.w;
            double origin = side.equals("right") ? card.y : card.x;
            for (int i = 0; i < ordered.size(); i++) {
                position.put(ordered.get(i), origin + length * (i + 1) / (ordered.size() + 1));
            }
        }));
        Map<Route, Double> outPort = new LinkedHashMap<>();
        Map<Route, Double> inPort = new LinkedHashMap<>();
        position.forEach((request, at) -> (request.outgoing() ? outPort : inPort).put(request.route(), at));

        double laneBase = columnX + cardWidth + FIRST_LANE;
        double outerBase = Math.max(nearBelow > 0 ? belowTrackY(nearBelow - 1) : rowBottom(),
                below.stream().mapToDouble(Card::bottom).max().orElse(rowBottom())) + FIRST_TRACK;
        for (Route route : routes) {
            Card from = route.from;
            Card to = route.to;
            switch (route.kind) {
                case STRAIGHT -> {
                    double y = from.arrowY();
                    route.points = List.of(new Point(from.right(), y), new Point(to.x, y));
                    label(route, (from.right() + to.x) / 2, y - 6, true, to.x - from.right() - 10);
                }
                case OVER, UNDER -> {
                    boolean over = route.kind == Kind.OVER;
                    double y = over ? aboveTrackY(route.track) : belowTrackY(route.track);
                    double side = over ? 0 : rowBottom();
                    double fromX = outPort.get(route);
                    double toX = inPort.get(route);
                    route.points = List.of(new Point(fromX, side), new Point(fromX, y), new Point(toX, y),
                            new Point(toX, side));
                    spanLabel(route, fromX, toX, y);
                }
                case BUS_ABOVE, BUS_BELOW -> {
                    double fromX = outPort.get(route);
                    double y = to.centerY();
                    double side = route.kind == Kind.BUS_ABOVE ? 0 : rowBottom();
                    route.points = List.of(new Point(fromX, side), new Point(fromX, y), new Point(columnX, y));
                    double next = routes.stream()
                            .filter(r -> r.to == to && r != route && (r.kind == Kind.BUS_ABOVE || r.kind == Kind.BUS_BELOW))
                            .mapToDouble(outPort::get).filter(x -> x > fromX).min().orElse(columnX);
                    label(route, fromX + 6, y - 5, false, next - fromX - 14);
                    boolean leftmost = routes.stream().filter(r -> r.to == to && r != route
                                    && (r.kind == Kind.BUS_ABOVE || r.kind == Kind.BUS_BELOW))
                            .noneMatch(r -> outPort.get(r) < fromX);
                    route.junction = leftmost ? null : new Point(fromX, y);
                }
                case RIGHT_LANE -> {
                    double laneX = laneBase + laneOf.get(route) * LANE;
                    double fromY = outPort.get(route);
                    double toY = inPort.get(route);
                    route.points = List.of(new Point(from.right(), fromY), new Point(laneX, fromY),
                            new Point(laneX, toY), new Point(to.right(), toY));
                    label(route, laneX + 5, (fromY + toY) / 2 + 4, false, 160);
                }
                case OUTER -> {
                    double laneX = laneBase + laneOf.get(route) * LANE;
                    double fromY = outPort.get(route);
                    double y = outerBase + outer.indexOf(route) * TRACK;
                    double toX = inPort.get(route);
                    route.points = List.of(new Point(from.right(), fromY), new Point(laneX, fromY),
                            new Point(laneX, y), new Point(toX, y), new Point(toX, to.bottom()));
                    label(route, (toX + laneX) / 2, y - 5, true, laneX - toX - 16);
                }
            }
        }
    }

    /** Left group (0): the other end is further left; self (1); right group (2). */
    private static int group(Card at, Card other) {
        return Integer.compare(other.row, at.row) + 1;
    }

    private static void request(Map<Card, Map<String, List<PortRequest>>> ports, Card card, String side,
                                PortRequest request) {
        ports.computeIfAbsent(card, c -> new LinkedHashMap<>()).computeIfAbsent(side, s -> new ArrayList<>()).add(request);
    }

    private static void spanLabel(Route route, double fromX, double toX, double y) {
        double span = Math.abs(toX - fromX);
        if (span >= 60) {
            label(route, (fromX + toX) / 2, y - 5, true, span - 16);
        } else {
            label(route, Math.max(fromX, toX) + 6, y - 5, false, 140);
        }
    }

    private static void label(Route route, double x, double y, boolean centered, double maxWidth) {
        route.labelX = x;
        route.labelY = y;
        route.labelCentered = centered;
        route.labelMaxWidth = Math.max(0, maxWidth);
    }

    /** The label as it fits its place. */
    static String fittedLabel(Route route) {
        return DiagramText.shorten(route.label, route.labelMaxWidth, LABEL_FONT, false);
    }

    private void measure() {
        minX = Double.MAX_VALUE;
        minY = Double.MAX_VALUE;
        maxX = -Double.MAX_VALUE;
        maxY = -Double.MAX_VALUE;
        for (Card card : cards) {
            include(card.x, card.y);
            include(card.right(), card.bottom());
        }
        for (Route route : routes) {
            route.points.forEach(p -> include(p.x(), p.y()));
            String label = fittedLabel(route);
            if (!label.isEmpty()) {
                double width = DiagramText.width(label, LABEL_FONT, false);
                double left = route.labelCentered ? route.labelX - width / 2 : route.labelX;
                include(left, route.labelY - LABEL_FONT);
                include(left + width, route.labelY + 3);
            }
        }
        if (start != null) {
            include(start.x() - 8, start.y() - 8);
        }
        if (cards.isEmpty()) {
            include(0, 0);
        }
    }

    private void include(double x, double y) {
        minX = Math.min(minX, x);
        minY = Math.min(minY, y);
        maxX = Math.max(maxX, x);
        maxY = Math.max(maxY, y);
    }
}
