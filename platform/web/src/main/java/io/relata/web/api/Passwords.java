package io.relata.web.api;

import io.relata.api.record.FieldError;
import io.relata.identity.LoginEvent;
import io.relata.identity.PasswordPolicy;
import io.relata.identity.UserDirectory;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Password changes over the API: refusals become problems that name the field and the broken rule. */
final class Passwords {

    private Passwords() {
    }

    /**
     * Runs {@code call}; a refused new password is a 400 whose error code names the rule
     * ({@code password_common} …) and whose text is German if the caller asks for it (Accept-Language), a
     * wrong current password a 400 on {@code currentPassword}, waiting attempts a 429.
     */
    static void refusalsAsProblems(HttpServletRequest request, String field, Instant now, Runnable call) {
        try {
            call.run();
        } catch (PasswordPolicy.RejectedException e) {
            String message = e.message(locale(request));
            throw new ApiProblem(400, "password-refused", "Password not accepted", message,
                    List.of(new FieldError(field, e.reason().code(), message)));
        } catch (UserDirectory.CurrentPasswordRefusedException e) {
            UserDirectory.Authentication result = e.result();
            if (result.outcome() == LoginEvent.Outcome.THROTTLED) {
                long seconds = Math.max(1, Duration.between(now, result.heldUntil()).toSeconds() + 1);
                throw new ApiProblem(429, "too-many-login-attempts", "Too many failed logins", "Too many failed password "
                        + "attempts for this user name or from this address; the current password was not checked. Try again in "
                        + seconds + " seconds.", List.of());
            }
            throw ApiProblem.badRequest("currentPassword", "wrong_password", "The current password is not correct");
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "bad-request", "Not accepted", e.getMessage(), List.of());
        }
    }

    /** German if the caller prefers it, else English (also without an Accept-Language header). */
    static Locale locale(HttpServletRequest request) {
        return request.getHeader("Accept-Language") != null && request.getLocale().getLanguage().equals("de")
                ? Locale.GERMAN : Locale.ENGLISH;
    }
}
