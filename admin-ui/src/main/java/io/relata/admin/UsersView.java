package io.relata.admin;

import io.relata.runtime.Platform;
import io.relata.runtime.RequestActor;
import io.relata.identity.LoginEvent;
import io.relata.identity.LoginThrottle;
import io.relata.identity.PasswordPolicy;
import io.relata.identity.UserDirectory;
import io.relata.identity.Team;
import io.relata.identity.UserAccount;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.model.SelectItem;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Administration of users and teams, locking users, the login attempts that wait after failures, and the
 * login log. Administrators only; others get a 404.
 */
@Named
@ViewScoped
public class UsersView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    RequestActor me;

    @Inject
    AdminTexts ui;

    private String username;
    private String displayName;
    private String email;
    private String password;
    private List<String> roles = new ArrayList<>();
    private List<Long> teams = new ArrayList<>();
    private String teamName;

    private Long editedId;
    private List<String> editedRoles = new ArrayList<>();
    private List<Long> editedTeams = new ArrayList<>();
    private boolean editedActive;
    private String editedPassword;
    private boolean editedRevokeTokens;

    @PostConstruct
    void init() {
        AdminGuard.require(platform, me);
    }

    public void createUser() {
        AdminGuard.require(platform, me); // on every action: rights can be withdrawn while the page is open
        try {
            UserAccount user = platform.users().createUser(username, displayName, email, password, new LinkedHashSet<>(roles));
            platform.users().update(user.getId(), null, email, true, new LinkedHashSet<>(roles), teams);
            add(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("users.created"), user.getUsername()));
            username = displayName = email = password = null;
            roles = new ArrayList<>();
            teams = new ArrayList<>();
        } catch (IllegalArgumentException e) {
            add(FacesMessage.SEVERITY_ERROR, refusal(e));
        } finally {
            password = null;
        }
    }

    public void edit(UserAccount user) {
        AdminGuard.require(platform, me); // on every action: rights can be withdrawn while the page is open
        editedId = user.getId();
        editedRoles = new ArrayList<>(user.getRoles());
        editedTeams = new ArrayList<>(platform.users().teamIds(user.getId()));
        editedActive = user.isActive();
        editedPassword = null;
        editedRevokeTokens = false;
    }

    public void saveEdited() {
        AdminGuard.require(platform, me); // on every action: rights can be withdrawn while the page is open
        try {
            // the password first: if the policy refuses it, nothing of the form is saved
            if (editedPassword != null && !editedPassword.isBlank()) {
                platform.users().resetPassword(editedId, editedPassword, editedRevokeTokens);
            }
            platform.users().update(editedId, null, platform.users().user(editedId).orElseThrow().getEmail(), editedActive,
                    new LinkedHashSet<>(editedRoles), editedTeams);
            add(FacesMessage.SEVERITY_INFO, ui.message("users.saved"));
            editedId = null;
        } catch (IllegalArgumentException e) {
            add(FacesMessage.SEVERITY_ERROR, refusal(e));
        } finally {
            editedPassword = null;
        }
    }

    public void lock(UserAccount user) {
        AdminGuard.require(platform, me); // on every action: rights can be withdrawn while the page is open
        try {
            platform.users().lock(user.getId(), me.actor());
            add(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("users.lockedDone"), user.getUsername()));
        } catch (IllegalArgumentException e) {
            add(FacesMessage.SEVERITY_ERROR, refusal(e));
        }
    }

    public void unlock(UserAccount user) {
        AdminGuard.require(platform, me); // on every action: rights can be withdrawn while the page is open
        platform.users().unlock(user.getId());
        add(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("users.unlockedDone"), user.getUsername()));
    }

    /** Lets the waiting attempts of one bucket resume at once. */
    public void release(LoginThrottle.Bucket bucket) {
        AdminGuard.require(platform, me); // on every action: rights can be withdrawn while the page is open
        platform.users().releaseThrottle(bucket.id());
    }

    public void createTeam() {
        AdminGuard.require(platform, me); // on every action: rights can be withdrawn while the page is open
        try {
            platform.users().createTeam(teamName);
            teamName = null;
        } catch (IllegalArgumentException e) {
            add(FacesMessage.SEVERITY_ERROR, refusal(e));
        }
    }

    /** Login attempts with failures, waiting ones first. */
    public List<LoginThrottle.Bucket> getThrottledLogins() {
        return platform.users().throttledLogins(50);
    }

    public boolean waiting(LoginThrottle.Bucket bucket) {
        return bucket.heldAt(platform.users().now());
    }

    /** The outcome of a login event in the user's language. */
    public String outcome(LoginEvent event) {
        return ui.message("login.outcome." + event.getOutcome().name());
    }

    public String channel(LoginEvent event) {
        return ui.message("login.channel." + event.getChannel().name());
    }

    public String time(java.time.OffsetDateTime time) {
        return time == null ? "" : ui.timestamp(time);
    }

    private String refusal(IllegalArgumentException e) {
        if (e instanceof PasswordPolicy.RejectedException rejected) {
            return rejected.message(ui.locale());
        }
        if (e instanceof UserDirectory.RefusedException refused) {
            return refused.message(ui.locale());
        }
        return e.getMessage();
    }

    public List<UserAccount> getUsers() {
        return platform.users().users();
    }

    public List<Team> getTeams() {
        return platform.users().teams();
    }

    public List<String> getRoleNames() {
        return List.copyOf(platform.model().roles().keySet());
    }

    /** The roles to choose from, each value its name and label what the metadata calls it in the user's language. */
    public List<SelectItem> getRoleItems() {
        return platform.model().roles().values().stream()
                .map(role -> new SelectItem(role.name(), role.label() == null ? role.name() : ui.text(role.label())))
                .toList();
    }

    /** A user's roles by their labels, as the list of users shows them. */
    public String roleLabels(UserAccount user) {
        return user.getRoles().stream()
                .map(name -> platform.model().roles().get(name))
                .map(role -> role == null ? null : role.label() == null ? role.name() : ui.text(role.label()))
                .filter(java.util.Objects::nonNull)
                .sorted()
                .collect(Collectors.joining(", "));
    }

    public String teamNames(UserAccount user) {
        List<Long> ids = platform.users().teamIds(user.getId());
        return getTeams().stream().filter(t -> ids.contains(t.getId())).map(Team::getName).collect(Collectors.joining(", "));
    }

    public boolean locked(UserAccount user) {
        return user.isLocked();
    }

    public List<LoginEvent> getLoginLog() {
        return platform.users().loginLog(50);
    }

    private static void add(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }

    public String getUsername() { return username; }
    public void setUsername(String username) { this.username = username; }
    public String getDisplayName() { return displayName; }
    public void setDisplayName(String displayName) { this.displayName = displayName; }
    public String getEmail() { return email; }
    public void setEmail(String email) { this.email = email; }
    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }
    public List<String> getRoles() { return roles; }
    public void setRoles(List<String> roles) { this.roles = roles; }
    public List<Long> getTeamIds() { return teams; }
    public void setTeamIds(List<Long> teams) { this.teams = teams; }
    public String getTeamName() { return teamName; }
    public void setTeamName(String teamName) { this.teamName = teamName; }
    public Long getEditedId() { return editedId; }
    public List<String> getEditedRoles() { return editedRoles; }
    public void setEditedRoles(List<String> editedRoles) { this.editedRoles = editedRoles; }
    public List<Long> getEditedTeams() { return editedTeams; }
    public void setEditedTeams(List<Long> editedTeams) { this.editedTeams = editedTeams; }
    public boolean isEditedActive() { return editedActive; }
    public void setEditedActive(boolean editedActive) { this.editedActive = editedActive; }
    public String getEditedPassword() { return editedPassword; }
    public void setEditedPassword(String editedPassword) { this.editedPassword = editedPassword; }
    public boolean isEditedRevokeTokens() { return editedRevokeTokens; }
    public void setEditedRevokeTokens(boolean editedRevokeTokens) { this.editedRevokeTokens = editedRevokeTokens; }
}
