package io.relata.web.security;

import io.relata.identity.LoginEvent;

import io.relata.identity.UserDirectory;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.SecurityContext;
import jakarta.security.enterprise.authentication.mechanism.http.AuthenticationParameters;
import jakarta.security.enterprise.credential.Password;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ResourceBundle;

/** The login form and logout. Messages never say whether the user name exists. */
@Named
@RequestScoped
public class LoginView {

    @Inject
    SecurityContext securityContext;

    @Inject
    UserDirectory users;

    @Inject
    ClientAddress clientAddress;

    private String username;
    private String password;

    public void login() throws IOException {
        FacesContext faces = FacesContext.getCurrentInstance();
        ExternalContext external = faces.getExternalContext();
        HttpServletRequest request = (HttpServletRequest) external.getRequest();
        AuthenticationStatus status = securityContext.authenticate(request, (HttpServletResponse) external.getResponse(),
                AuthenticationParameters.withParams().newAuthentication(true)
                        .credential(new UsernamePasswordCredential(username == null ? "" : username, new Password(password == null ? "" : password))));
        password = null;
        Object outcome = request.getAttribute(CrmAuthenticationMechanism.LOGIN_OUTCOME);
        if (outcome == LoginEvent.Outcome.THROTTLED
                && request.getAttribute(CrmAuthenticationMechanism.LOGIN_HELD_UNTIL) instanceof Instant heldUntil) {
            // Says nothing about the user name either: unknown names wait just the same.
            String time = DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(faces.getViewRoot().getLocale())
                    .format(heldUntil.atZone(ZoneId.systemDefault()));
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR,
                    MessageFormat.format(text(faces, "login.throttled"), time), null));
            return;
        }
        if (outcome != null && outcome != LoginEvent.Outcome.SUCCESS) {
            // One message for wrong, inactive and locked: it must not tell which user names exist.
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, text(faces, "login.failed"), null));
            return;
        }
        if (status == AuthenticationStatus.SUCCESS) {
            external.redirect(external.getRequestContextPath() + CrmAuthenticationMechanism.continueUrl(request.getSession(false)));
            faces.responseComplete();
        } else if (status == AuthenticationStatus.SEND_CONTINUE) {
            faces.responseComplete();
        } else {
            // One message for wrong and locked: it must not tell which user names exist.
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, text(faces, "login.failed"), null));
        }
    }

    public void logout() throws IOException, ServletException {
        FacesContext faces = FacesContext.getCurrentInstance();
        ExternalContext external = faces.getExternalContext();
        HttpServletRequest request = (HttpServletRequest) external.getRequest();
        if (request.getUserPrincipal() != null) {
            users.logLogout(request.getUserPrincipal().getName(), clientAddress.of(request));
        }
        request.logout();
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        external.redirect(external.getRequestContextPath() + "/login.xhtml?loggedOut=true");
        faces.responseComplete();
    }

    private static String text(FacesContext faces, String key) {
        return ResourceBundle.getBundle("io.relata.web.ui.messages", faces.getViewRoot().getLocale()).getString(key);
    }

    public String getUsername() { return username; }
    public void setUsername(String username) { this.username = username; }
    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }
}
