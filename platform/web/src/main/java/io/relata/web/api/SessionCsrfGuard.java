package io.relata.web.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Set;

/**
 * API writes that rely on the browser's session cookie (no Authorization header) must prove they do not
 * come from another site's form: a JSON body or an {@code X-Requested-With} header, which a cross-site form
 * cannot send without CORS (which this API does not allow). Token and Basic callers are not affected, nor the
 * public addresses under {@code /v1/public/} (a mail program's one-click unsubscribe), which no session authorises.
 */
@Provider
public class SessionCsrfGuard implements ContainerRequestFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @Context
    HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext context) {
        // the public addresses act on a secret token in the URL, never on the session: nothing for a form to forge
        if (SAFE.contains(context.getMethod()) || context.getHeaderString("Authorization") != null
                || context.getHeaderString("X-Requested-With") != null
                || context.getUriInfo().getPath().startsWith("v1/public/")) {
            return;
        }
        MediaType type = context.getMediaType();
        boolean json = type != null && type.getSubtype().endsWith("json");
        if (!json || context.getMethod().equals("DELETE")) {
            throw new ApiProblem(403, "csrf", "Cross-site request refused",
                    "A request with the session cookie must send a JSON body or an X-Requested-With header", List.of());
        }
    }
}
