package io.relata.web.security;

import io.relata.identity.LoginEvent;

import io.relata.identity.UserDirectory;

import io.relata.api.security.Actor;
import io.relata.runtime.Platform;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How callers prove who they are. Pages: form login on /login.xhtml, then the session (a new session id
 * after login, against fixation). API: {@code Authorization: Bearer <personal token>} or HTTP Basic with
 * the same users and passwords; an API call without valid credentials gets 401 problem+json (429 while
 * password attempts from the caller's address wait, see {@link LoginThrottle}), a page is redirected to the
 * login page and continues where the user wanted to go.
 */
@ApplicationScoped
public class CrmAuthenticationMechanism implements HttpAuthenticationMechanism {

    /** The logged-in user of a form session and the password state they logged in with. */
    private record SessionLogin(String username, java.time.OffsetDateTime passwordChanged) implements java.io.Serializable {
    }

    static final String SESSION_LOGIN = "relata.login";
    /** The actor established for this request, so CurrentActor need not look it up again. */
    static final String REQUEST_ACTOR = "relata.actor";

    static final String CONTINUE_AFTER_LOGIN = "relata.login.continue";
    static final String LOGIN_OUTCOME = "relata.login.outcome";
    /** Set with a THROTTLED outcome: the {@link java.time.Instant} from which attempts may resume. */
    static final String LOGIN_HELD_UNTIL = "relata.login.heldUntil";
    /** Basic auth repeats the password on every call; re-hashing it each time would cost ~0.1 s per call. */
    private static final Duration BASIC_CACHE_TIME = Duration.ofMinutes(2);

    @Inject
    Platform platform;

    /** Asked per request: this mechanism lives as long as the application, the address rules come with the start. */
    @Inject
    jakarta.inject.Provider<ClientAddress> clientAddress;

    private final Map<String, RecentLogin> recentBasicLogins = new ConcurrentHashMap<>();

    /** A Basic login verified at most {@link #BASIC_CACHE_TIME} ago, and the password state it was verified against. */
    private record RecentLogin(Instant expires, java.time.OffsetDateTime passwordChanged) {
    }

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        SecurityHeadersFilter.apply(request, response); // also on the 401s and redirects answered here, before any filter
        UserDirectory users = platform.users();
        if (users == null) {
            return context.isProtected() ? unauthorized(request, response, context, "The CRM is starting; try again shortly") : context.doNothing();
        }
        // Header credentials are checked on every call and never open a session: revoking a token or
        // changing a password takes effect at once.
        String remote = clientAddress.get().of(request);
        String authorization = request.getHeader("Authorization");
        if (authorization != null && !authorization.isBlank()) {
            HeaderLogin result = headerLogin(users, authorization.trim(), remote);
            if (result.actor().isPresent()) {
                return login(request, context, result.actor().get());
            }
            if (result.heldUntil() != null) {
                return tooManyAttempts(response, result.heldUntil(), users.now());
            }
            return unauthorized(request, response, context, "The credentials in the Authorization header are not valid");
        }
        Credential credential = context.getAuthParameters().getCredential();
        if (credential instanceof UsernamePasswordCredential form) {
            UserDirectory.Authentication result = users.authenticate(form.getCaller(), form.getPassword().getValue(),
                    LoginEvent.Channel.FORM, remote);
            request.setAttribute(LOGIN_OUTCOME, result.outcome());
            request.setAttribute(LOGIN_HELD_UNTIL, result.heldUntil());
            if (!result.succeeded()) {
                return context.doNothing(); // not logged in: the login page says why (no 401 from the container)
            }
            if (request.getSession(false) != null) {
                request.changeSessionId();
            }
            request.getSession(true).setAttribute(SESSION_LOGIN, new SessionLogin(result.actor().username(), result.passwordChanged()));
            return login(request, context, result.actor());
        }
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(SESSION_LOGIN) instanceof SessionLogin login) {
            // The session stands only while the account is active, unlocked and has the same password.
            Optional<Actor> actor = users.actorOfRecentLogin(login.username(), login.passwordChanged());
            if (actor.isPresent()) {
                return login(request, context, actor.get());
            }
            session.invalidate();
        }
        if (!context.isProtected()) {
            return context.doNothing();
        }
        if (isApi(request)) {
            return unauthorized(request, response, context, "Log in first: send a personal API token as "
                    + "'Authorization: Bearer <token>' or user and password with HTTP Basic");
        }
        if (isPageNavigation(request)) {
            String query = request.getQueryString();
            request.getSession(true).setAttribute(CONTINUE_AFTER_LOGIN,
                    request.getRequestURI().substring(request.getContextPath().length()) + (query == null ? "" : "?" + query));
        }
        return context.redirect(request.getContextPath() + "/login.xhtml");
    }

    /**
     * Whether the request is the user opening a page, the only thing worth continuing with after the login.
     * Browsers also fetch the site icon, images and scripts while the login page shows; remembering those
     * sent the user to an error page after logging in.
     */
    static boolean isPageNavigation(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod()) || request.getHeader("Faces-Request") != null
                || "XMLHttpRequest".equals(request.getHeader("X-Requested-With"))) {
            return false;
        }
        // Browsers say what a request is for; other clients are judged by the address alone.
        String destination = request.getHeader("Sec-Fetch-Dest");
        if (destination != null && !destination.equals("document")) {
            return false;
        }
        String mode = request.getHeader("Sec-Fetch-Mode");
        if (mode != null && !mode.equals("navigate")) {
            return false;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/") || path.endsWith(".xhtml") && !path.startsWith("/jakarta.faces.resource/");
    }

    /** A header login's result: the actor, or, if the attempt was held back, until when. */
    private record HeaderLogin(Optional<Actor> actor, java.time.Instant heldUntil) {
        static final HeaderLogin REJECTED = new HeaderLogin(Optional.empty(), null);
    }

    private HeaderLogin headerLogin(UserDirectory users, String authorization, String remote) {
        String[] parts = authorization.split("\\s+", 2);
        if (parts.length != 2) {
            return HeaderLogin.REJECTED;
        }
        if (parts[0].equalsIgnoreCase("Bearer")) {
            return new HeaderLogin(users.authenticateToken(parts[1].trim(), remote), null);
        }
        if (parts[0].equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(parts[1].trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return HeaderLogin.REJECTED;
            }
            int colon = decoded.indexOf(':');
            if (colon < 1) {
                return HeaderLogin.REJECTED;
            }
            String username = decoded.substring(0, colon);
            String password = decoded.substring(colon + 1);
            if (password.startsWith("rlt_")) {
                // a personal API token as the password: apps that speak only Basic (calendar apps) need not hold
                // the user's password; the token must be the named user's (else it may still be a password)
                Optional<Actor> byToken = users.authenticateToken(password, remote).filter(a -> a.username().equals(username));
                if (byToken.isPresent()) {
                    return new HeaderLogin(byToken, null);
                }
            }
            String key = UserDirectory.sha256(decoded);
            RecentLogin recent = recentBasicLogins.get(key);
            if (recent != null && recent.expires().isAfter(Instant.now())) {
                Optional<Actor> actor = users.actorOfRecentLogin(username, recent.passwordChanged());
                if (actor.isPresent()) {
                    return new HeaderLogin(actor, null);
                }
                recentBasicLogins.remove(key);
            }
            UserDirectory.Authentication result = users.authenticate(username, decoded.substring(colon + 1).toCharArray(),
                    LoginEvent.Channel.BASIC, remote);
            if (result.succeeded()) {
                recentBasicLogins.put(key, new RecentLogin(Instant.now().plus(BASIC_CACHE_TIME), result.passwordChanged()));
                return new HeaderLogin(Optional.of(result.actor()), null);
            }
            recentBasicLogins.remove(key);
            return new HeaderLogin(Optional.empty(), result.heldUntil());
        }
        return HeaderLogin.REJECTED;
    }

    /** 429 with Retry-After: the password was not even checked, so a guess here tells nothing. */
    private static AuthenticationStatus tooManyAttempts(HttpServletResponse response, Instant heldUntil, Instant now) {
        long seconds = Math.max(1, java.time.Duration.between(now, heldUntil).toSeconds() + 1);
        try {
            response.setStatus(429);
            response.setHeader("Retry-After", Long.toString(seconds));
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write("{\"type\":\"https://relata.dev/problems/too-many-login-attempts\",\"title\":\"Too many failed logins\","
                    + "\"status\":429,\"detail\":\"Too many failed password attempts for this user name or from this address. The "
                    + "password was not checked; try again in " + seconds + " seconds. Open sessions and API tokens are not affected.\","
                    + "\"retryAfterSeconds\":" + seconds + "}");
        } catch (IOException e) {
            // the client went away; nothing to tell it
        }
        return AuthenticationStatus.SEND_FAILURE;
    }

    private static AuthenticationStatus login(HttpServletRequest request, HttpMessageContext context, Actor actor) {
        request.setAttribute(REQUEST_ACTOR, actor);
        return context.notifyContainerAboutLogin(actor.username(), actor.roles());
    }

    private static boolean isApi(HttpServletRequest request) {
        return request.getRequestURI().startsWith(request.getContextPath() + "/api/");
    }

    private static AuthenticationStatus unauthorized(HttpServletRequest request, HttpServletResponse response,
                                                     HttpMessageContext context, String detail) {
        try {
            response.setStatus(401);
            // Challenging with Basic would make browsers prompt for and then resend a password with every
            // request, also cross-site; only callers that already use Basic get that challenge, and calendar and
            // address book apps, which send their password only when challenged.
            String used = request.getHeader("Authorization");
            boolean basic = used != null && used.regionMatches(true, 0, "Basic", 0, 5)
                    || request.getRequestURI().startsWith(request.getContextPath() + "/api/dav/");
            response.setHeader("WWW-Authenticate", basic ? "Basic realm=\"Relata CRM\", charset=\"UTF-8\"" : "Bearer realm=\"Relata CRM\"");
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write("{\"type\":\"https://relata.dev/problems/unauthenticated\",\"title\":\"Not logged in\","
                    + "\"status\":401,\"detail\":\"" + detail.replace("\"", "'") + "\"}");
        } catch (IOException e) {
            // the client went away; nothing to tell it
        }
        return AuthenticationStatus.SEND_FAILURE;
    }

    /** After users change their own password, their session goes on with the new password state. */
    public static void rememberLogin(HttpServletRequest request, String username, java.time.OffsetDateTime passwordChanged) {
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(SESSION_LOGIN) != null) {
            session.setAttribute(SESSION_LOGIN, new SessionLogin(username, passwordChanged));
        }
    }

    /** Where to go after a successful form login: the page the user asked for, else the start page. */
    static String continueUrl(HttpSession session) {
        Object target = session == null ? null : session.getAttribute(CONTINUE_AFTER_LOGIN);
        if (session != null) {
            session.removeAttribute(CONTINUE_AFTER_LOGIN);
        }
        return target instanceof String url && url.startsWith("/") && !url.startsWith("//") && !url.contains("\\")
                ? url : "/index.xhtml";
    }
}
