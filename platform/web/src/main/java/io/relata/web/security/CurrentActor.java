package io.relata.web.security;

import io.relata.api.security.Actor;
import io.relata.runtime.Platform;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;

/** The logged-in user of the current request, looked up once per request. */
@Named("me")
@RequestScoped
public class CurrentActor implements io.relata.runtime.RequestActor {

    @Inject
    SecurityContext securityContext;

    @Inject
    Platform platform;

    @Inject
    HttpServletRequest request;

    /** The session attribute holding the UI language the user chose (or their browser's, on first sight). */
    public static final String SESSION_LANGUAGE = "relata.language";
    /** The languages the CRM speaks. */
    public static final java.util.List<String> LANGUAGES = java.util.List.of("de", "en");

    private Actor actor;

    @Override
    public Actor actor() {
        if (actor == null) {
            Actor found;
            if (request.getAttribute(CrmAuthenticationMechanism.REQUEST_ACTOR) instanceof Actor established) {
                found = established;
            } else {
                Principal principal = securityContext.getCallerPrincipal();
                if (principal == null) {
                    throw new NotAuthenticatedException();
                }
                found = platform.users().actor(principal.getName()).orElseThrow(NotAuthenticatedException::new);
            }
            actor = found.inLanguage(language());
        }
        return actor;
    }

    /**
     * The language the user reads: the one chosen in the UI's session, else the request's preferred language
     * if the CRM speaks it, else English (what API clients get when they ask for nothing).
     */
    public String language() {
        var session = request.getSession(false);
        if (session != null && session.getAttribute(SESSION_LANGUAGE) instanceof String chosen) {
            return chosen;
        }
        for (var locales = request.getLocales(); locales.hasMoreElements(); ) {
            String language = locales.nextElement().getLanguage();
            if (LANGUAGES.contains(language)) {
                return language;
            }
        }
        return Actor.DEFAULT_LANGUAGE;
    }

    public boolean isLoggedIn() {
        return securityContext.getCallerPrincipal() != null;
    }

    public String getUsername() {
        return actor().username();
    }

    public boolean isAdministrator() {
        return platform.access(actor()).unrestricted();
    }

    /** No logged-in user where one is required: a deactivated account or a request that bypassed the login. */
    public static class NotAuthenticatedException extends RuntimeException {
        public NotAuthenticatedException() {
            super("Not logged in");
        }
    }
}
