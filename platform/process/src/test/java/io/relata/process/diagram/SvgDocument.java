package io.relata.process.diagram;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** A diagram parsed with the JDK's XML parser (which fails on anything not well-formed), with lookups for tests. */
final class SvgDocument {

    static final String SVG = "http://www.w3.org/2000/svg";

    /** A box in the SVG's own coordinates (the content group's translation applied). */
    record Box(String name, double x, double y, double width, double height) {
        boolean overlaps(Box other) {
            return x < other.x + other.width && other.x < x + width && y < other.y + other.height
                    && other.y < y + height;
        }
    }

    final Document document;
    final Element root;
    final double shiftX;
    final double shiftY;

    SvgDocument(String svg) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("The SVG is not well-formed XML: " + e.getMessage() + "\n" + svg, e);
        }
        root = document.getDocumentElement();
        Element content = elements("g").stream().filter(g -> g.hasAttribute("transform")).findFirst().orElseThrow();
        Matcher translate = Pattern.compile("translate\\(([-0-9.]+) ([-0-9.]+)\\)").matcher(content.getAttribute("transform"));
        if (!translate.matches()) {
            throw new AssertionError("unexpected transform " + content.getAttribute("transform"));
        }
        shiftX = Double.parseDouble(translate.group(1));
        shiftY = Double.parseDouble(translate.group(2));
    }

    List<Element> elements(String localName) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = document.getElementsByTagNameNS(SVG, localName);
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        return found;
    }

    static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && localName.equals(element.getLocalName())) {
                found.add(element);
            }
        }
        return found;
    }

    /** The text of every {@code <text>} element. */
    List<String> texts() {
        return elements("text").stream().map(Node::getTextContent).toList();
    }

    /** The text of every {@code <title>} (tooltips). */
    List<String> titles() {
        return elements("title").stream().map(Node::getTextContent).toList();
    }

    /** The groups of phase boxes, in document order. */
    List<Element> phases() {
        return elements("g").stream().filter(g -> g.hasAttribute("data-phase")).toList();
    }

    Element phase(String name) {
        return phases().stream().filter(g -> g.getAttribute("data-phase").equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no phase box " + name));
    }

    /** The frame of a phase's box. */
    Box box(Element phase) {
        Element rect = children(phase, "rect").get(0);
        return new Box(phase.getAttribute("data-phase"), number(rect, "x") + shiftX, number(rect, "y") + shiftY,
                number(rect, "width"), number(rect, "height"));
    }

    /** The lines of text in a phase's box, label first. */
    List<String> phaseTexts(String name) {
        return children(phase(name), "text").stream().map(Node::getTextContent).toList();
    }

    /** The arrow paths (one per move), as {@code from->to}. */
    List<Element> arrows() {
        return elements("g").stream()
                .filter(g -> g.hasAttribute("data-from") && !"move-label".equals(g.getAttribute("class")))
                .toList();
    }

    Element arrow(String from, String to) {
        return arrows().stream()
                .filter(g -> g.getAttribute("data-from").equals(from) && g.getAttribute("data-to").equals(to))
                .findFirst().orElseThrow(() -> new AssertionError("no arrow from " + from + " to " + to));
    }

    /** Label texts of moves, with their estimated boxes. */
    List<Box> moveLabels() {
        List<Box> boxes = new ArrayList<>();
        for (Element group : elements("g")) {
            if (!"move-label".equals(group.getAttribute("class"))) {
                continue;
            }
            Element text = children(group, "text").get(0);
            double width = DiagramText.width(text.getTextContent(), DiagramLayout.LABEL_FONT, false);
            double x = number(text, "x") + shiftX;
            if ("middle".equals(text.getAttribute("text-anchor"))) {
                x -= width / 2;
            }
            double baseline = number(text, "y") + shiftY;
            boxes.add(new Box(text.getTextContent(), x, baseline - 9, width, 11));
        }
        return boxes;
    }

    double viewBoxWidth() {
        return Double.parseDouble(root.getAttribute("viewBox").split(" ")[2]);
    }

    double viewBoxHeight() {
        return Double.parseDouble(root.getAttribute("viewBox").split(" ")[3]);
    }

    static double number(Element element, String attribute) {
        return Double.parseDouble(element.getAttribute(attribute));
    }
}
