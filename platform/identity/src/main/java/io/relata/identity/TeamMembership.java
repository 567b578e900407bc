package io.relata.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;

/** A user's membership in a team; the lowest position is the user's primary team. */
@Entity
@Table(name = "crm_team_member")
public class TeamMembership {

    @EmbeddedId
    private Key key;

    @Column(nullable = false)
    private int position;

    protected TeamMembership() {
    }

    public TeamMembership(long userId, long teamId, int position) {
        this.key = new Key(userId, teamId);
        this.position = position;
    }

    public long getUserId() { return key.userId; }
    public long getTeamId() { return key.teamId; }
    public int getPosition() { return position; }

    @Embeddable
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;

        @Column(name = "user_id")
        private long userId;

        @Column(name = "team_id")
        private long teamId;

        protected Key() {
        }

        Key(long userId, long teamId) {
            this.userId = userId;
            this.teamId = teamId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && k.userId == userId && k.teamId == teamId;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(userId) * 31 + Long.hashCode(teamId);
        }
    }
}
