package io.relata.web.dav;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * The XML of WebDAV (RFC 4918) and its calendar and address book extensions: reading request bodies (DTDs refused,
 * so no entity tricks) and writing multi-status answers. The JDK's DOM and StAX are enough for the few elements
 * involved; the servers that ship a whole WebDAV framework would bring a second web stack.
 */
final class DavXml {

    static final String DAV = "DAV:";
    static final String CALDAV = "urn:ietf:params:xml:ns:caldav";
    static final String CARDDAV = "urn:ietf:params:xml:ns:carddav";
    static final String CALENDARSERVER = "http://calendarserver.org/ns/";
    /** The CRM's own elements: the description of an error for people. */
    static final String RELATA = "http://relata.dev/ns/";
    static final String MEDIA_TYPE = "application/xml; charset=utf-8";

    private static final Map<String, String> PREFIXES = Map.of(DAV, "d", CALDAV, "c", CARDDAV, "card",
            CALENDARSERVER, "cs", RELATA, "r");

    private DavXml() {
    }

    static QName dav(String name) {
        return new QName(DAV, name);
    }

    static QName caldav(String name) {
        return new QName(CALDAV, name);
    }

    static QName carddav(String name) {
        return new QName(CARDDAV, name);
    }

    static QName calendarServer(String name) {
        return new QName(CALENDARSERVER, name);
    }

    /** Writes a property's content (child elements or text) inside its element. */
    @FunctionalInterface
    interface Content {
        void write(XMLStreamWriter xml) throws XMLStreamException;
    }

    /** A resource's properties as answered in a multi-status: name → content. */
    static final class Properties {
        private final String href;
        private final Map<QName, Content> values = new LinkedHashMap<>();

        Properties(String href) {
            this.href = href;
        }

        Properties text(QName name, String text) {
            values.put(name, xml -> xml.writeCharacters(text));
            return this;
        }

        Properties put(QName name, Content content) {
            values.put(name, content);
            return this;
        }

        Properties href(QName name, String target) {
            return put(name, xml -> element(xml, dav("href"), target));
        }

        String href() {
            return href;
        }
    }

    /** Elements under the given ones, as in resourcetype or supported-calendar-component-set. */
    static Content elements(QName... names) {
        return xml -> {
            for (QName name : names) {
                start(xml, name);
                xml.writeEndElement();
            }
        };
    }

    static void element(XMLStreamWriter xml, QName name, String text) throws XMLStreamException {
        start(xml, name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }

    static void start(XMLStreamWriter xml, QName name) throws XMLStreamException {
        xml.writeStartElement(PREFIXES.getOrDefault(name.getNamespaceURI(), ""), name.getLocalPart(), name.getNamespaceURI());
    }

    /**
     * A multi-status: each resource with the requested properties it has (200) and those it has not (404); all its
     * properties if {@code requested} is null (allprop). {@code missing}: hrefs asked for that do not exist (404).
     */
    static String multistatus(List<Properties> resources, Set<QName> requested, List<String> missing) {
        return document(xml -> {
            for (Properties resource : resources) {
                start(xml, dav("response"));
                element(xml, dav("href"), resource.href);
                Map<QName, Content> found = new LinkedHashMap<>();
                List<QName> notFound = new ArrayList<>();
                if (requested == null) {
                    found.putAll(resource.values);
                } else {
                    for (QName name : requested) {
                        if (resource.values.containsKey(name)) {
                            found.put(name, resource.values.get(name));
                        } else {
                            notFound.add(name);
                        }
                    }
                }
                if (!found.isEmpty()) {
                    propstat(xml, found, "HTTP/1.1 200 OK");
                }
                if (!notFound.isEmpty()) {
                    Map<QName, Content> empty = new LinkedHashMap<>();
                    notFound.forEach(name -> empty.put(name, x -> { }));
                    propstat(xml, empty, "HTTP/1.1 404 Not Found");
                }
                xml.writeEndElement();
            }
            for (String href : missing) {
                start(xml, dav("response"));
                element(xml, dav("href"), href);
                element(xml, dav("status"), "HTTP/1.1 404 Not Found");
                xml.writeEndElement();
            }
        });
    }

    /** A PROPPATCH answer that refuses every property: the CRM's collections are set up by the CRM. */
    static String refusedPatch(String href, Set<QName> names) {
        return document(xml -> {
            start(xml, dav("response"));
            element(xml, dav("href"), href);
            Map<QName, Content> refused = new LinkedHashMap<>();
            names.forEach(name -> refused.put(name, x -> { }));
            propstat(xml, refused, "HTTP/1.1 403 Forbidden");
            element(xml, dav("responsedescription"), "The CRM's calendars and address books are set up in the CRM");
            xml.writeEndElement();
        });
    }

    /** An error body (RFC 4918 §16): the failed precondition (null: none named), and a description for people. */
    static String error(QName precondition, String description) {
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            xml.writeStartDocument("UTF-8", "1.0");
            start(xml, dav("error"));
            namespaces(xml);
            if (precondition != null) {
                start(xml, precondition);
                xml.writeEndElement();
            }
            element(xml, new QName(RELATA, "description"), description);
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing XML to a string cannot fail", e);
        }
        return text.toString();
    }

    private static void propstat(XMLStreamWriter xml, Map<QName, Content> properties, String status) throws XMLStreamException {
        start(xml, dav("propstat"));
        start(xml, dav("prop"));
        for (Map.Entry<QName, Content> property : properties.entrySet()) {
            start(xml, property.getKey());
            property.getValue().write(xml);
            xml.writeEndElement();
        }
        xml.writeEndElement();
        element(xml, dav("status"), status);
        xml.writeEndElement();
    }

    private static String document(Content responses) {
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            xml.writeStartDocument("UTF-8", "1.0");
            start(xml, dav("multistatus"));
            namespaces(xml);
            responses.write(xml);
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing XML to a string cannot fail", e);
        }
        return text.toString();
    }

    private static void namespaces(XMLStreamWriter xml) throws XMLStreamException {
        for (Map.Entry<String, String> prefix : PREFIXES.entrySet()) {
            xml.writeNamespace(prefix.getValue(), prefix.getKey());
        }
    }

    // ---- reading

    /** A request body as a document; empty for no body. Throws {@link IllegalArgumentException} for bad XML. */
    static Optional<Document> parse(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            return Optional.of(factory.newDocumentBuilder().parse(new InputSource(new StringReader(body))));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
        } catch (Exception e) {
            throw new IllegalArgumentException("The request body is not well-formed XML: " + e.getMessage(), e);
        }
    }

    static QName name(Element element) {
        return new QName(element.getNamespaceURI() == null ? "" : element.getNamespaceURI(), element.getLocalName());
    }

    static List<Element> children(Element parent) {
        List<Element> children = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                children.add(element);
            }
        }
        return children;
    }

    static Optional<Element> child(Element parent, QName name) {
        return children(parent).stream().filter(e -> name(e).equals(name)).findFirst();
    }

    /** The properties a PROPFIND or REPORT asks for: null for allprop (or no body), else the names in its prop. */
    static Set<QName> requestedProperties(Element root) {
        Optional<Element> prop = child(root, dav("prop"));
        if (prop.isEmpty()) {
            return null;
        }
        Set<QName> names = new LinkedHashSet<>();
        children(prop.get()).forEach(e -> names.add(name(e)));
        return names;
    }

    /** The names under set/prop and remove/prop of a PROPPATCH. */
    static Set<QName> patchedProperties(Element root) {
        Set<QName> names = new LinkedHashSet<>();
        for (Element change : children(root)) {
            child(change, dav("prop")).ifPresent(prop -> children(prop).forEach(e -> names.add(name(e))));
        }
        return names;
    }
}
