package io.relata.identity;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.Set;

/** A person who logs in. The password is kept only as a slow salted hash (PBKDF2). */
@Entity
@Table(name = "crm_user")
public class UserAccount {

    @Id
    @SequenceGenerator(name = "crm_user_seq", sequenceName = "crm_user_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "crm_user_seq")
    private Long id;

    @Column(nullable = false, unique = true)
    private String username;

    @Column(name = "display_name", nullable = false)
    private String displayName;

    private String email;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Column(nullable = false)
    private boolean active = true;

    /** Set while an administrator has locked the user out (never automatically: see LoginThrottle). */
    @Column(name = "locked_at")
    private OffsetDateTime lockedAt;

    @Column(name = "locked_by")
    private String lockedBy;

    @Column(name = "password_changed", nullable = false)
    private OffsetDateTime passwordChanged;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Version
    private long version;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "crm_user_role", joinColumns = @JoinColumn(name = "user_id"))
    @Column(name = "role_name")
    private Set<String> roles = new LinkedHashSet<>();

    protected UserAccount() {
    }

    public UserAccount(String username, String displayName, String email, String passwordHash) {
        this.username = username;
        this.displayName = displayName;
        this.email = email;
        this.passwordHash = passwordHash;
        this.createdAt = storedPrecision(OffsetDateTime.now());
        this.passwordChanged = createdAt;
    }

    /** Locked by an administrator: no login, no session and no API token works until unlocked. */
    public boolean isLocked() {
        return lockedAt != null;
    }

    /** Whether the user may act at all: active and not locked. */
    public boolean mayLogIn() {
        return active && lockedAt == null;
    }

    public Long getId() { return id; }
    public String getUsername() { return username; }
    public String getDisplayName() { return displayName; }
    public void setDisplayName(String displayName) { this.displayName = displayName; }
    public String getEmail() { return email; }
    public void setEmail(String email) { this.email = email; }
    String getPasswordHash() { return passwordHash; }
    void setPasswordHash(String passwordHash) {
        this.passwordHash = passwordHash;
        this.passwordChanged = storedPrecision(OffsetDateTime.now());
    }

    /**
     * Sessions compare {@code passwordChanged} for equality: it must read back from the database exactly as it
     * was written, and databases keep microseconds where the clock may give nanoseconds.
     */
    private static OffsetDateTime storedPrecision(OffsetDateTime time) {
        return time.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
    public boolean isActive() { return active; }
    public void setActive(boolean active) { this.active = active; }
    public OffsetDateTime getLockedAt() { return lockedAt; }
    public String getLockedBy() { return lockedBy; }
    void lock(OffsetDateTime at, String by) {
        this.lockedAt = at;
        this.lockedBy = by;
    }
    void unlock() {
        this.lockedAt = null;
        this.lockedBy = null;
    }
    public OffsetDateTime getPasswordChanged() { return passwordChanged; }
    public OffsetDateTime getCreatedAt() { return createdAt; }
    public Set<String> getRoles() { return roles; }
    public void setRoles(Set<String> roles) { this.roles = new LinkedHashSet<>(roles); }
}
