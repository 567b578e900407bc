package io.relata.web.api;

import io.relata.api.record.Record;
import io.relata.api.security.Actor;
import io.relata.identity.UserAccount;
import io.relata.runtime.Platform;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A user's calendar as an iCalendar feed (RFC 5545) for calendar apps to subscribe to: read-only, reached without a
 * login by the secret token in its URL (the user makes it on the calendar page). The feed holds what the user may read
 * of their own activities, as their own store reads them; an unknown, revoked or replaced token, or a user who is
 * locked or deactivated, is a 404 like any unknown address.
 */
@Path("/v1/public/calendar")
public class CalendarFeedResource {

    static final String MEDIA_TYPE = "text/calendar; charset=utf-8";

    @Inject
    Platform platform;

    @GET
    @Path("{token}.ics")
    @Operation(summary = "A user's calendar feed", description = "iCalendar (RFC 5545): the user's appointments as events "
            + "and their to-dos with a due date as to-dos, from 90 days back to a year ahead. The token is the secret "
            + "part of the URL shown on the calendar page; If-None-Match with the last ETag answers 304 when nothing "
            + "changed.")
    public Response feed(@PathParam("token") String token, @HeaderParam("If-None-Match") String ifNoneMatch) {
        Actor actor = platform.calendarFeeds().userOf(token)
                .flatMap(id -> platform.users().user(id))
                .filter(UserAccount::isActive)
                .flatMap(user -> platform.users().actor(user.getUsername()))
                .orElseThrow(NotFoundException::new);
        List<Record> activities = platform.activityCalendar().window(platform.securedRecordsOf(actor), actor.userId());
        String ics = platform.activityCalendar().ics(activities, "Relata – " + actor.username());
        EntityTag etag = new EntityTag(sha256(ics));
        if (ifNoneMatch != null && ifNoneMatch.replace("\"", "").strip().equals(etag.getValue())) {
            return Response.notModified(etag).build();
        }
        return Response.ok(ics, MEDIA_TYPE).tag(etag)
                .header("Cache-Control", "private, max-age=300")
                .header("Content-Disposition", "inline; filename=\"relata.ics\"")
                .build();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
