package io.relata.web.security;

import io.relata.runtime.Platform;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Payara's metrics and OpenAPI document become part of this application when it runs at the context root (as
 * the run command starts it). They tell how the server is built and used, so only administrators (users with an
 * unrestricted role, as for the administration pages) get them; other logged-in users get the not-found page,
 * and web.xml sends anonymous callers to the login. The health endpoints stay open (web.xml): monitors probe them.
 */
@WebFilter(urlPatterns = {"/metrics/*", "/openapi/*"})
public class OperationsEndpointsFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Platform platform;

    @Inject
    transient CurrentActor me;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!isAdministrator()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean isAdministrator() {
        try {
            return platform.isStarted() && platform.access(me.actor()).unrestricted();
        } catch (CurrentActor.NotAuthenticatedException e) {
            return false;
        }
    }
}
