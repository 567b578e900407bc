package io.relata.web.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Headers every response carries. Pages get their Content-Security-Policy from PrimeFaces (with a nonce
 * per request, see web.xml); everything else — the API, resources, error pages — gets a policy that allows
 * nothing to run. No page may be framed by another site. Nothing but the static resources of the pages may
 * be kept by a browser or proxy: pages and API answers hold records.
 * <p>
 * The authentication mechanism answers some requests itself (401, the redirect to the login page) before any
 * filter runs; it sets the same headers through {@link #apply}.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SecurityHeadersFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        apply(request, response);
        chain.doFilter(request, isLayoutPreview(request) ? new FramableBySameOrigin(response) : response);
    }

    /**
     * A layout preview's response: the page policy PrimeFaces sends with each page ({@code primefaces.CSP_POLICY})
     * forbids every frame; for the preview it allows the CRM's own pages.
     */
    private static final class FramableBySameOrigin extends jakarta.servlet.http.HttpServletResponseWrapper {

        FramableBySameOrigin(HttpServletResponse response) {
            super(response);
        }

        private static String relaxed(String name, String value) {
            return "Content-Security-Policy".equalsIgnoreCase(name) && value != null
                    ? value.replace("frame-ancestors 'none'", "frame-ancestors 'self'") : value;
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, relaxed(name, value));
        }

        @Override
        public void addHeader(String name, String value) {
            super.addHeader(name, relaxed(name, value));
        }
    }

    /**
     * The designer shows a form layout of its draft in the record page itself, in a frame of the designer's page
     * ({@code record.xhtml?...&layout=<name>}): that page may be framed by the CRM's own pages, no others.
     */
    private static boolean isLayoutPreview(HttpServletRequest request) {
        String query = request.getQueryString();
        return "GET".equals(request.getMethod()) && request.getRequestURI().endsWith("/record.xhtml") && query != null
                && (query.startsWith("layout=") || query.contains("&layout="));
    }

    /** Sets the headers on {@code response}; safe to call twice. */
    public static void apply(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", isLayoutPreview(request) ? "SAMEORIGIN" : "DENY");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.endsWith(".xhtml") && !path.endsWith("/")) {
            response.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        }
        if (!path.startsWith("/jakarta.faces.resource/")) {
            response.setHeader("Cache-Control", "no-store");
        }
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", "max-age=31536000");
        }
    }
}
