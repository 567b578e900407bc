package io.relata.web.ui;

import io.relata.web.security.ClientAddress;

import io.relata.runtime.Platform;
import io.relata.identity.ApiToken;
import io.relata.web.security.CrmAuthenticationMechanism;
import io.relata.web.security.CurrentActor;
import io.relata.identity.LoginEvent;
import io.relata.identity.PasswordPolicy;
import io.relata.identity.UserDirectory;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.text.MessageFormat;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;

/**
 * The user's own account: change the password (offering to revoke the API tokens with it), create and revoke
 * personal API tokens.
 */
@Named
@ViewScoped
public class AccountView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @Inject
    ClientAddress clientAddress;

    @Inject
    UiText ui;

    private String currentPassword;
    private String newPassword;
    private String repeatedPassword;
    private boolean revokeTokens;
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
            int revoked = platform.users().changePassword(username, currentPassword == null ? new char[0] : currentPassword.toCharArray(),
                    newPassword, clientAddress.of(request), revokeTokens);
            CrmAuthenticationMechanism.rememberLogin(request, username, platform.users().passwordChanged(username).orElseThrow());
            add(FacesMessage.SEVERITY_INFO, revokeTokens
                    ? MessageFormat.format(ui.message("account.passwordChangedTokensRevoked"), revoked)
                    : ui.message("account.passwordChanged"));
            revokeTokens = false;
        } catch (PasswordPolicy.RejectedException e) {
            add(FacesMessage.SEVERITY_ERROR, e.message(ui.locale()));
        } catch (UserDirectory.CurrentPasswordRefusedException e) {
            add(FacesMessage.SEVERITY_ERROR, e.result().outcome() == LoginEvent.Outcome.THROTTLED
                    ? MessageFormat.format(ui.message("login.throttled"), DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT)
                            .withLocale(ui.locale()).format(e.result().heldUntil().atZone(ZoneId.systemDefault())))
                    : ui.message("account.currentPasswordWrong"));
        } finally {
            currentPassword = null;
            newPassword = null;
            repeatedPassword = null;
        }
    }

    /** How many of the user's tokens still work: offered for revoking with the password change. */
    public long getActiveTokenCount() {
        return platform.users().activeTokenCount(me.actor().userId());
    }

    public String getRevokeTokensLabel() {
        return MessageFormat.format(ui.message("account.revokeTokens"), getActiveTokenCount());
    }

    public void createToken() {
        try {
            createdToken = platform.users().createToken(me.actor().userId(), tokenName).token();
            tokenName = null;
        } catch (IllegalArgumentException e) {
            add(FacesMessage.SEVERITY_ERROR, ui.message("account.tokenNameTooLong"));
        }
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
    public boolean isRevokeTokens() { return revokeTokens; }
    public void setRevokeTokens(boolean revokeTokens) { this.revokeTokens = revokeTokens; }
    public String getTokenName() { return tokenName; }
    public void setTokenName(String tokenName) { this.tokenName = tokenName; }
    public String getCreatedToken() { return createdToken; }
}
