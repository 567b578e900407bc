package io.relata.web.dav;

import static io.relata.web.dav.DavXml.caldav;
import static io.relata.web.dav.DavXml.calendarServer;
import static io.relata.web.dav.DavXml.carddav;
import static io.relata.web.dav.DavXml.dav;

import io.relata.api.model.LocalizedText;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordPage;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.RecordStore;
import io.relata.api.record.Sort;
import io.relata.api.security.Actor;
import io.relata.runtime.Platform;
import io.relata.runtime.customer.CalendarCollection;
import io.relata.runtime.customer.CalendarCollection.CalendarObject;
import io.relata.runtime.customer.CalendarCollection.RefusedException;
import io.relata.web.dav.DavXml.Properties;
import io.relata.web.security.CurrentActor;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.namespace.QName;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * CalDAV (RFC 4791) and CardDAV (RFC 6352) for calendar and address book apps, with the user's password or a personal
 * API token over HTTP Basic. Each user has one calendar, their activities ({@link CalendarCollection}: read and write,
 * conflicts by ETag), and one address book, the contacts they own as vCards (read-only). Clients find both from
 * {@code /.well-known/caldav} or the address {@code /api/dav/}: the root names the user's principal, the principal
 * the homes, the homes the collections. A user reaches only their own principal and collections.
 */
@Path("/dav")
public class DavResource {

    static final String ALLOW = "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, REPORT";
    static final String CALENDAR = "activities";
    static final String ADDRESS_BOOK = "contacts";
    static final String CONTACTS = "contact";
    /** No more cards than this in the address book (its owner's contacts, most recently changed first). */
    static final int MAX_CARDS = 5000;
    private static final Pattern CARD_NAME = Pattern.compile("contact-(\\d{1,18})\\.vcf");
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @Context
    UriInfo uri;

    // ---- discovery

    @DavMethods.PROPFIND
    @Operation(hidden = true)
    public Response root(@HeaderParam("Depth") String depth, String body) {
        Properties root = new Properties(base())
                .put(dav("resourcetype"), DavXml.elements(dav("collection")))
                .text(dav("displayname"), "Relata CRM")
                .href(dav("current-user-principal"), principal());
        return multistatus(List.of(root), body);
    }

    @DavMethods.PROPFIND
    @Path("principals/{user}")
    @Operation(hidden = true)
    public Response principal(@PathParam("user") String user, String body) {
        requireSelf(user);
        return multistatus(List.of(principalProperties()), body);
    }

    @DavMethods.PROPFIND
    @Path("calendars/{user}")
    @Operation(hidden = true)
    public Response calendarHome(@PathParam("user") String user, @HeaderParam("Depth") String depth, String body) {
        requireSelf(user);
        List<Properties> resources = new ArrayList<>();
        resources.add(home(calendarHome()));
        if (deep(depth)) {
            resources.add(calendarProperties(objects()));
        }
        return multistatus(resources, body);
    }

    @DavMethods.PROPFIND
    @Path("addressbooks/{user}")
    @Operation(hidden = true)
    public Response addressBookHome(@PathParam("user") String user, @HeaderParam("Depth") String depth, String body) {
        requireSelf(user);
        List<Properties> resources = new ArrayList<>();
        resources.add(home(addressBookHome()));
        if (deep(depth) && hasAddressBook()) {
            resources.add(addressBookProperties(cards()));
        }
        return multistatus(resources, body);
    }

    // ---- the calendar

    @DavMethods.PROPFIND
    @Path("calendars/{user}/" + CALENDAR)
    @Operation(hidden = true)
    public Response calendar(@PathParam("user") String user, @HeaderParam("Depth") String depth, String body) {
        requireSelf(user);
        List<CalendarObject> objects = objects();
        List<Properties> resources = new ArrayList<>();
        resources.add(calendarProperties(objects));
        if (deep(depth)) {
            objects.forEach(object -> resources.add(objectProperties(object, false)));
        }
        return multistatus(resources, body);
    }

    @DavMethods.PROPFIND
    @Path("calendars/{user}/" + CALENDAR + "/{name}")
    @Operation(hidden = true)
    public Response calendarObjectProperties(@PathParam("user") String user, @PathParam("name") String name, String body) {
        requireSelf(user);
        CalendarObject object = object(name);
        return multistatus(List.of(objectProperties(object, false)), body);
    }

    @DavMethods.REPORT
    @Path("calendars/{user}/" + CALENDAR)
    @Operation(hidden = true)
    public Response calendarReport(@PathParam("user") String user, String body) {
        requireSelf(user);
        Element report = document(body).getDocumentElement();
        Set<QName> requested = DavXml.requestedProperties(report);
        QName kind = DavXml.name(report);
        List<Properties> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        if (kind.equals(caldav("calendar-multiget"))) {
            for (String href : hrefs(report)) {
                Optional<CalendarObject> object = calendarCollection().object(platform.securedRecords(), actor().userId(), lastSegment(href));
                object.ifPresentOrElse(o -> found.add(objectProperties(o, true)), () -> missing.add(href));
            }
        } else if (kind.equals(caldav("calendar-query"))) {
            CalendarFilter filter = CalendarFilter.of(report);
            objects().stream().filter(filter::matches).forEach(o -> found.add(objectProperties(o, true)));
        } else {
            return unsupportedReport(kind);
        }
        return Response.status(207).entity(DavXml.multistatus(found, requested, missing)).type(DavXml.MEDIA_TYPE).build();
    }

    @GET
    @Path("calendars/{user}/" + CALENDAR + "/{name}")
    @Operation(hidden = true)
    public Response calendarObject(@PathParam("user") String user, @PathParam("name") String name) {
        requireSelf(user);
        CalendarObject object = object(name);
        return Response.ok(calendarCollection().data(object), "text/calendar; charset=utf-8")
                .tag(EntityTag.valueOf(object.etag())).build();
    }

    @PUT
    @Path("calendars/{user}/" + CALENDAR + "/{name}")
    @Operation(hidden = true)
    public Response putCalendarObject(@PathParam("user") String user, @PathParam("name") String name,
                                      @HeaderParam("If-Match") String ifMatch, @HeaderParam("If-None-Match") String ifNoneMatch,
                                      String body) {
        requireSelf(user);
        try {
            CalendarCollection.Written written = calendarCollection().put(platform.securedRecords(), actor().userId(), name,
                    body, ifMatch, ifNoneMatch != null && ifNoneMatch.strip().equals("*"));
            return Response.status(written.created() ? 201 : 204).tag(EntityTag.valueOf(written.object().etag())).build();
        } catch (RefusedException e) {
            return refused(e);
        }
    }

    @DELETE
    @Path("calendars/{user}/" + CALENDAR + "/{name}")
    @Operation(hidden = true)
    public Response deleteCalendarObject(@PathParam("user") String user, @PathParam("name") String name,
                                         @HeaderParam("If-Match") String ifMatch) {
        requireSelf(user);
        try {
            calendarCollection().delete(platform.securedRecords(), actor().userId(), name, ifMatch);
            return Response.noContent().build();
        } catch (RefusedException e) {
            return refused(e);
        }
    }

    // ---- the address book

    @DavMethods.PROPFIND
    @Path("addressbooks/{user}/" + ADDRESS_BOOK)
    @Operation(hidden = true)
    public Response addressBook(@PathParam("user") String user, @HeaderParam("Depth") String depth, String body) {
        requireSelf(user);
        requireAddressBook();
        List<Record> cards = cards();
        List<Properties> resources = new ArrayList<>();
        resources.add(addressBookProperties(cards));
        if (deep(depth)) {
            cards.forEach(card -> resources.add(cardProperties(card, null)));
        }
        return multistatus(resources, body);
    }

    @DavMethods.PROPFIND
    @Path("addressbooks/{user}/" + ADDRESS_BOOK + "/{name}")
    @Operation(hidden = true)
    public Response cardProperties(@PathParam("user") String user, @PathParam("name") String name, String body) {
        requireSelf(user);
        requireAddressBook();
        return multistatus(List.of(cardProperties(card(name), null)), body);
    }

    @DavMethods.REPORT
    @Path("addressbooks/{user}/" + ADDRESS_BOOK)
    @Operation(hidden = true)
    public Response addressBookReport(@PathParam("user") String user, String body) {
        requireSelf(user);
        requireAddressBook();
        Element report = document(body).getDocumentElement();
        QName kind = DavXml.name(report);
        boolean vcard3 = DavXml.child(report, dav("prop")).flatMap(p -> DavXml.child(p, carddav("address-data")))
                .map(data -> "3.0".equals(data.getAttribute("version"))).orElse(false);
        List<Properties> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        if (kind.equals(carddav("addressbook-multiget"))) {
            for (String href : hrefs(report)) {
                Optional<Record> card = findCard(lastSegment(href));
                card.ifPresentOrElse(c -> found.add(cardProperties(c, vcard3)), () -> missing.add(href));
            }
        } else if (kind.equals(carddav("addressbook-query"))) {
            cards().forEach(card -> found.add(cardProperties(card, vcard3)));
        } else {
            return unsupportedReport(kind);
        }
        return Response.status(207).entity(DavXml.multistatus(found, DavXml.requestedProperties(report), missing))
                .type(DavXml.MEDIA_TYPE).build();
    }

    @GET
    @Path("addressbooks/{user}/" + ADDRESS_BOOK + "/{name}")
    @Operation(hidden = true)
    public Response card(@PathParam("user") String user, @PathParam("name") String name, @HeaderParam("Accept") String accept) {
        requireSelf(user);
        requireAddressBook();
        Record card = card(name);
        boolean vcard3 = accept != null && accept.contains("version=3.0");
        return Response.ok(vcard(card, vcard3), "text/vcard; charset=utf-8").tag(EntityTag.valueOf(cardTag(card))).build();
    }

    @PUT
    @Path("addressbooks/{user}/" + ADDRESS_BOOK + "/{name}")
    @Operation(hidden = true)
    public Response putCard(@PathParam("user") String user, @PathParam("name") String name) {
        requireSelf(user);
        return readOnlyAddressBook();
    }

    @DELETE
    @Path("addressbooks/{user}/" + ADDRESS_BOOK + "/{name}")
    @Operation(hidden = true)
    public Response deleteCard(@PathParam("user") String user, @PathParam("name") String name) {
        requireSelf(user);
        return readOnlyAddressBook();
    }

    @DavMethods.PROPPATCH
    @Path("{any: .*}")
    @Operation(hidden = true)
    public Response proppatch(@PathParam("any") String path, String body) {
        Set<QName> names = DavXml.patchedProperties(document(body).getDocumentElement());
        return Response.status(207).entity(DavXml.refusedPatch(base() + path, names)).type(DavXml.MEDIA_TYPE).build();
    }

    // ---- properties

    private Properties principalProperties() {
        Actor actor = actor();
        Properties properties = new Properties(principal())
                .put(dav("resourcetype"), DavXml.elements(dav("principal"), dav("collection")))
                .text(dav("displayname"), platform.users().user(actor.userId()).map(u -> u.getDisplayName() == null
                        ? actor.username() : u.getDisplayName()).orElse(actor.username()))
                .href(dav("current-user-principal"), principal())
                .href(dav("principal-URL"), principal())
                .href(caldav("calendar-home-set"), calendarHome())
                .href(carddav("addressbook-home-set"), addressBookHome());
        platform.users().user(actor.userId()).map(u -> u.getEmail()).filter(e -> e != null && !e.isBlank())
                .ifPresent(email -> properties.href(caldav("calendar-user-address-set"), "mailto:" + email));
        return properties;
    }

    private Properties home(String href) {
        return new Properties(href)
                .put(dav("resourcetype"), DavXml.elements(dav("collection")))
                .href(dav("owner"), principal())
                .href(dav("current-user-principal"), principal());
    }

    private Properties calendarProperties(List<CalendarObject> objects) {
        String tag = CalendarCollection.tag(objects);
        return new Properties(calendarHome() + CALENDAR + "/")
                .put(dav("resourcetype"), DavXml.elements(dav("collection"), caldav("calendar")))
                .text(dav("displayname"), text("Relata – Aktivitäten", "Relata – Activities"))
                .text(caldav("calendar-description"), text("Ihre Termine und Aufgaben im CRM",
                        "Your appointments and to-dos in the CRM"))
                .put(caldav("supported-calendar-component-set"), xml -> {
                    for (String component : List.of("VEVENT", "VTODO")) {
                        DavXml.start(xml, caldav("comp"));
                        xml.writeAttribute("name", component);
                        xml.writeEndElement();
                    }
                })
                .put(caldav("supported-calendar-data"), xml -> {
                    DavXml.start(xml, caldav("calendar-data"));
                    xml.writeAttribute("content-type", "text/calendar");
                    xml.writeAttribute("version", "2.0");
                    xml.writeEndElement();
                })
                .put(dav("supported-report-set"), reports(caldav("calendar-query"), caldav("calendar-multiget")))
                .put(dav("current-user-privilege-set"), privileges(true))
                .href(dav("owner"), principal())
                .text(calendarServer("getctag"), tag)
                .text(dav("getetag"), tag);
    }

    private Properties objectProperties(CalendarObject object, boolean withData) {
        Properties properties = new Properties(calendarHome() + CALENDAR + "/" + segment(object.name()))
                .put(dav("resourcetype"), xml -> { })
                .text(dav("getetag"), object.etag())
                .text(dav("getcontenttype"), "text/calendar; charset=utf-8; component="
                        + (CalendarCollection.isEvent(object) ? "VEVENT" : "VTODO"));
        if (withData) {
            properties.text(caldav("calendar-data"), calendarCollection().data(object));
        }
        return properties;
    }

    private Properties addressBookProperties(List<Record> cards) {
        StringBuilder all = new StringBuilder();
        cards.forEach(card -> all.append(cardTag(card)));
        String tag = "\"b" + Integer.toHexString(all.toString().hashCode()) + "-" + cards.size() + "\"";
        return new Properties(addressBookHome() + ADDRESS_BOOK + "/")
                .put(dav("resourcetype"), DavXml.elements(dav("collection"), carddav("addressbook")))
                .text(dav("displayname"), text("Relata – Kontakte", "Relata – Contacts"))
                .text(carddav("addressbook-description"), text("Ihre Kontakte im CRM (nur lesen)",
                        "Your contacts in the CRM (read-only)"))
                .put(carddav("supported-address-data"), xml -> {
                    for (String version : List.of("4.0", "3.0")) {
                        DavXml.start(xml, carddav("address-data-type"));
                        xml.writeAttribute("content-type", "text/vcard");
                        xml.writeAttribute("version", version);
                        xml.writeEndElement();
                    }
                })
                .put(dav("supported-report-set"), reports(carddav("addressbook-query"), carddav("addressbook-multiget")))
                .put(dav("current-user-privilege-set"), privileges(false))
                .href(dav("owner"), principal())
                .text(calendarServer("getctag"), tag)
                .text(dav("getetag"), tag);
    }

    /** A card's properties; {@code vcard3} null: without its data (a PROPFIND), else its data in that version. */
    private Properties cardProperties(Record card, Boolean vcard3) {
        Properties properties = new Properties(addressBookHome() + ADDRESS_BOOK + "/contact-" + card.id() + ".vcf")
                .put(dav("resourcetype"), xml -> { })
                .text(dav("getetag"), cardTag(card))
                .text(dav("getcontenttype"), "text/vcard; charset=utf-8");
        if (vcard3 != null) {
            properties.text(carddav("address-data"), vcard(card, vcard3));
        }
        return properties;
    }

    private static DavXml.Content reports(QName... reports) {
        return xml -> {
            for (QName report : reports) {
                DavXml.start(xml, dav("supported-report"));
                DavXml.start(xml, dav("report"));
                DavXml.start(xml, report);
                xml.writeEndElement();
                xml.writeEndElement();
                xml.writeEndElement();
            }
        };
    }

    private static DavXml.Content privileges(boolean writable) {
        List<QName> granted = writable
                ? List.of(dav("read"), dav("write"), dav("write-content"), dav("bind"), dav("unbind"), caldav("read-free-busy"))
                : List.of(dav("read"));
        return xml -> {
            for (QName privilege : granted) {
                DavXml.start(xml, dav("privilege"));
                DavXml.start(xml, privilege);
                xml.writeEndElement();
                xml.writeEndElement();
            }
        };
    }

    // ---- reading the store

    private CalendarCollection calendarCollection() {
        return platform.calendarCollection();
    }

    private List<CalendarObject> objects() {
        return calendarCollection().objects(platform.securedRecords(), actor().userId());
    }

    private CalendarObject object(String name) {
        return calendarCollection().object(platform.securedRecords(), actor().userId(), name)
                .orElseThrow(() -> new DavProblem(404, null, text("Kein Kalendereintrag \"" + name + "\"",
                        "No calendar object \"" + name + "\"")));
    }

    private boolean hasAddressBook() {
        return platform.access(actor()).canRead(CONTACTS) && platform.contactCards().suits(CONTACTS);
    }

    private void requireAddressBook() {
        if (!hasAddressBook()) {
            throw new DavProblem(404, null, text("Ihre Rollen dürfen keine Kontakte lesen",
                    "Your roles may not read contacts"));
        }
    }

    /** The contacts the user owns, most recently changed first, up to {@value #MAX_CARDS}. */
    private List<Record> cards() {
        RecordStore records = platform.records();
        List<Record> found = new ArrayList<>();
        String cursor = null;
        do {
            RecordPage page = records.query(CONTACTS, new RecordQuery(
                    List.of(new Filter("owner_user", FilterOperator.EQ, actor().userId())),
                    List.of(Sort.desc("updated_at")), null, RecordQuery.MAX_LIMIT, cursor));
            found.addAll(page.records());
            cursor = page.nextCursor();
        } while (cursor != null && found.size() < MAX_CARDS);
        return found.size() > MAX_CARDS ? found.subList(0, MAX_CARDS) : found;
    }

    private Optional<Record> findCard(String name) {
        Matcher matcher = CARD_NAME.matcher(name);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return platform.records().find(CONTACTS, Long.parseLong(matcher.group(1)))
                .filter(card -> Long.valueOf(actor().userId()).equals(card.ownerUser()));
    }

    private Record card(String name) {
        return findCard(name).orElseThrow(() -> new DavProblem(404, null,
                text("Keine Karte \"" + name + "\"", "No card \"" + name + "\"")));
    }

    private String vcard(Record card, boolean vcard3) {
        return platform.contactCards().cards(platform.records(), CONTACTS, List.of(card), vcard3);
    }

    private static String cardTag(Record card) {
        return "\"k" + card.id() + "-" + card.version() + "\"";
    }

    // ---- requests and answers

    private Actor actor() {
        return me.actor();
    }

    /** A user reaches only their own principal and collections; another's are not there for them. */
    private void requireSelf(String user) {
        if (!actor().username().equals(user)) {
            throw new DavProblem(404, null, text("Hier gibt es nur Ihre eigenen Kalender und Adressbücher",
                    "Only your own calendars and address books are here"));
        }
    }

    private Response multistatus(List<Properties> resources, String body) {
        Optional<Document> request = parse(body);
        Set<QName> requested = request.map(d -> DavXml.requestedProperties(d.getDocumentElement())).orElse(null);
        return Response.status(207).entity(DavXml.multistatus(resources, requested, List.of())).type(DavXml.MEDIA_TYPE).build();
    }

    private Optional<Document> parse(String body) {
        try {
            return DavXml.parse(body);
        } catch (IllegalArgumentException e) {
            throw new DavProblem(400, null, text("Der Inhalt der Anfrage ist kein gültiges XML: " + e.getMessage(),
                    e.getMessage()));
        }
    }

    private Document document(String body) {
        return parse(body).orElseThrow(() -> new DavProblem(400, null, text("Die Anfrage braucht einen XML-Inhalt",
                "The request needs an XML body")));
    }

    private static List<String> hrefs(Element report) {
        return DavXml.children(report).stream().filter(e -> DavXml.name(e).equals(dav("href")))
                .map(e -> e.getTextContent().strip()).toList();
    }

    private static String lastSegment(String href) {
        String path = href.endsWith("/") ? href.substring(0, href.length() - 1) : href;
        try {
            path = URI.create(path).getRawPath();
        } catch (IllegalArgumentException e) {
            // an href with characters a URI may not hold: take it as it is
        }
        String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return URLDecoder.decode(last.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static boolean deep(String depth) {
        return depth == null || !depth.strip().equals("0");
    }

    private Response refused(RefusedException e) {
        String description = e.text().in(me.language());
        return switch (e.refusal()) {
            case PRECONDITION_FAILED -> DavProblem.response(412, null, description);
            case UID_CONFLICT -> DavProblem.response(409, caldav("no-uid-conflict"), description);
            case INVALID_DATA -> DavProblem.response(400, caldav("valid-calendar-data"), description);
            case NOT_SUPPORTED -> DavProblem.response(403, caldav("supported-calendar-component"), description);
            case NOT_FOUND -> DavProblem.response(404, null, description);
        };
    }

    private Response unsupportedReport(QName kind) {
        return DavProblem.response(403, dav("supported-report"), text("Diesen Bericht gibt es hier nicht: " + kind.getLocalPart(),
                "This report is not supported here: " + kind.getLocalPart()));
    }

    private Response readOnlyAddressBook() {
        return DavProblem.response(403, dav("need-privileges"), text("Das Adressbuch des CRM ist nur zum Lesen; ändern "
                + "Sie Kontakte im CRM", "The CRM's address book is read-only; change contacts in the CRM"));
    }

    private String text(String de, String en) {
        return LocalizedText.of(de, en).in(me.language());
    }

    private String base() {
        return uri.getBaseUri().getRawPath() + "dav/";
    }

    private String principal() {
        return base() + "principals/" + segment(actor().username()) + "/";
    }

    private String calendarHome() {
        return base() + "calendars/" + segment(actor().username()) + "/";
    }

    private String addressBookHome() {
        return base() + "addressbooks/" + segment(actor().username()) + "/";
    }

    private static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The filter of a calendar-query: the component asked for, its time range and a UID to match. */
    record CalendarFilter(String component, Instant start, Instant end, String uid) {

        static CalendarFilter of(Element report) {
            Optional<Element> filter = DavXml.child(report, caldav("filter"));
            Optional<Element> calendar = filter.flatMap(f -> DavXml.child(f, caldav("comp-filter")));
            Optional<Element> item = calendar.flatMap(c -> DavXml.child(c, caldav("comp-filter")));
            Optional<Element> range = item.flatMap(i -> DavXml.child(i, caldav("time-range")));
            String uid = item.stream().flatMap(i -> DavXml.children(i).stream())
                    .filter(e -> DavXml.name(e).equals(caldav("prop-filter")) && "UID".equalsIgnoreCase(e.getAttribute("name")))
                    .findFirst().flatMap(p -> DavXml.child(p, caldav("text-match"))).map(t -> t.getTextContent().strip())
                    .orElse(null);
            return new CalendarFilter(item.map(i -> i.getAttribute("name").toUpperCase(Locale.ROOT)).orElse(null),
                    range.map(r -> time(r.getAttribute("start"))).orElse(null),
                    range.map(r -> time(r.getAttribute("end"))).orElse(null), uid);
        }

        private static Instant time(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                return LocalDateTime.parse(value.strip(), UTC_TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new DavProblem(400, caldav("valid-filter"), LocalizedText.format("time-range: \"{0}\" ist keine "
                        + "UTC-Zeit wie 20261201T000000Z", "time-range: \"{0}\" is not a UTC date-time such as 20261201T000000Z",
                        value).in(LocalizedText.FALLBACK_LANGUAGE));
            }
        }

        boolean matches(CalendarObject object) {
            if (component != null && !component.equals(CalendarCollection.isEvent(object) ? "VEVENT" : "VTODO")) {
                return false;
            }
            if (uid != null && !object.uid().toLowerCase(Locale.ROOT).contains(uid.toLowerCase(Locale.ROOT))) {
                return false;
            }
            return start == null && end == null || CalendarCollection.overlaps(object, start, end);
        }
    }
}
