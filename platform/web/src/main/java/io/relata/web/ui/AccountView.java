package io.relata.web.ui;

import io.relata.web.runtime.Platform;
import io.relata.web.security.ApiToken;
import io.relata.web.security.CrmAuthenticationMechanism;
import io.relata.web.security.CurrentActor;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;

/** The user's own account: change the password, create and revoke personal API tokens. */
@Named
@ViewScoped
public class AccountView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @Inject
    UiText ui;

    private String currentPassword;
    private String newPassword;
    private String repeatedPassword;
    private String tokenName;
    private String createdToken;

    public void changePassword() {
        if (newPassword == null || !newPassword.equals(repeatedPassword)) {
            add(FacesMessage.SEVERITY_ERROR, ui.message("account.passwordMismatch"));
            return;
        }
        try {
            var request = (jakarta.servlet.http.HttpServletRequest) FacesContext.getCurrentInstance().getExternalContext().getRequest();
            String username = me.actor().username();
            platform.users().changePassword(username, currentPassword == null ? new char[0] : currentPassword.toCharArray(),
                    newPassword, request.getRemoteAddr());
            CrmAuthenticationMechanism.rememberLogin(request, username, platform.users().passwordChanged(username).orElseThrow());
            add(FacesMessage.SEVERITY_INFO, ui.message("account.passwordChanged"));
        } catch (IllegalArgumentException e) {
            add(FacesMessage.SEVERITY_ERROR, e.getMessage());
        } finally {
            currentPassword = null;
            newPassword = null;
            repeatedPassword = null;
        }
    }

    public void createToken() {
        createdToken = platform.users().createToken(me.actor().userId(), tokenName).token();
        tokenName = null;
    }

    public void revoke(long tokenId) {
        platform.users().revokeToken(me.actor().userId(), tokenId);
    }

    public List<ApiToken> getTokens() {
        return platform.users().tokens(me.actor().userId());
    }


    private static void add(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }

    public String getCurrentPassword() { return currentPassword; }
    public void setCurrentPassword(String currentPassword) { this.currentPassword = currentPassword; }
    public String getNewPassword() { return newPassword; }
    public void setNewPassword(String newPassword) { this.newPassword = newPassword; }
    public String getRepeatedPassword() { return repeatedPassword; }
    public void setRepeatedPassword(String repeatedPassword) { this.repeatedPassword = repeatedPassword; }
    public String getTokenName() { return tokenName; }
    public void setTokenName(String tokenName) { this.tokenName = tokenName; }
    public String getCreatedToken() { return createdToken; }
}
