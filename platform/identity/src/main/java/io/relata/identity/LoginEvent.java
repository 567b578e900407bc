package io.relata.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One login attempt, successful or not, for the admins' login log. */
@Entity
@Table(name = "crm_login_event")
public class LoginEvent {

    /**
     * LOCKED: the password was right, but an administrator locked the user. THROTTLED: not checked, too many
     * failures for this user name or from this address ({@link #getHeldUntil()} says until when).
     */
    public enum Outcome { SUCCESS, BAD_CREDENTIALS, LOCKED, INACTIVE, LOGOUT, TOKEN_REJECTED, THROTTLED }

    public enum Channel { FORM, BASIC, TOKEN }

    @Id
    @SequenceGenerator(name = "crm_login_event_seq", sequenceName = "crm_login_event_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "crm_login_event_seq")
    private Long id;

    @Column(nullable = false)
    private OffsetDateTime at;

    @Column(nullable = false)
    private String username;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Outcome outcome;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Channel channel;

    private String remote;

    /** Set when attempts of this user name from this address wait: refused ones, and the failure that starts the wait. */
    @Column(name = "held_until")
    private OffsetDateTime heldUntil;

    protected LoginEvent() {
    }

    LoginEvent(OffsetDateTime at, String username, Outcome outcome, Channel channel, String remote, OffsetDateTime heldUntil) {
        this.at = at;
        this.username = username.length() > 100 ? username.substring(0, 100) : username;
        this.outcome = outcome;
        this.channel = channel;
        this.remote = remote == null || remote.length() <= 100 ? remote : remote.substring(0, 100);
        this.heldUntil = heldUntil;
    }

    public Long getId() { return id; }
    public OffsetDateTime getAt() { return at; }
    public String getUsername() { return username; }
    public Outcome getOutcome() { return outcome; }
    public Channel getChannel() { return channel; }
    public String getRemote() { return remote; }
    public OffsetDateTime getHeldUntil() { return heldUntil; }
}
