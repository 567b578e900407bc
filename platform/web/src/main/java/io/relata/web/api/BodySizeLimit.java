package io.relata.web.api;

import io.relata.runtime.Platform;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * Refuses a request whose Content-Length is over {@code CRM_MAX_BODY_BYTES} before anything reads it: a client
 * cannot make the server parse megabytes only to reject them. Bodies without a length are cut off at the same
 * limit while they are read ({@link JsonBodyReader}).
 */
@Provider
@PreMatching
public class BodySizeLimit implements ContainerRequestFilter {

    private static final java.util.regex.Pattern FILE_UPLOAD = java.util.regex.Pattern.compile("/?v1/records/[^/]+/[^/]+/files/?");

    @Inject
    Platform platform;

    @Override
    public void filter(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null || request.getUriInfo().getPath().startsWith("v1/admin/plugins")) {
            return; // plugin jars have their own limit (PluginsResource.MAX_JAR_BYTES)
        }
        // a record's files have their own limit (CRM_FILES_MAX_BYTES), checked here the same way
        boolean file = FILE_UPLOAD.matcher(request.getUriInfo().getPath()).matches() && "POST".equals(request.getMethod());
        long max = file ? platform.recordFiles().settings().maxBytes() : JsonBodyReader.maxBytes(platform);
        try {
            if (Long.parseLong(length.trim()) > max) {
                throw file ? new ApiProblem(413, "file-too-large", "File too large", "The file is larger than " + max
                        + " bytes, the most this CRM accepts (setting CRM_FILES_MAX_BYTES)", List.of()) : tooLarge(max);
            }
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("Content-Length", "bad_length", "Content-Length must be the number of bytes "
                    + "of the body");
        }
    }

    static ApiProblem tooLarge(long max) {
        return new ApiProblem(413, "body-too-large", "Request body too large", "The request body is larger than "
                + max + " bytes, the most this CRM accepts (setting CRM_MAX_BODY_BYTES); send fewer or shorter values "
                + "per request", List.of());
    }
}
