package io.relata.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * A personal API token. Only its SHA-256 is stored (tokens are long random strings, so a fast hash is
 * enough); the token itself is shown once, when it is created. Revoked tokens stay for the record.
 */
@Entity
@Table(name = "crm_api_token")
public class ApiToken {

    @Id
    @SequenceGenerator(name = "crm_api_token_seq", sequenceName = "crm_api_token_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "crm_api_token_seq")
    private Long id;

    @Column(name = "user_id", nullable = false)
    private long userId;

    @Column(nullable = false)
    private String name;

    @Column(name = "token_hash", nullable = false)
    private String tokenHash;

    @Column(name = "token_hint", nullable = false)
    private String tokenHint;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Column(name = "last_used_at")
    private OffsetDateTime lastUsedAt;

    @Column(name = "revoked_at")
    private OffsetDateTime revokedAt;

    protected ApiToken() {
    }

    ApiToken(long userId, String name, String tokenHash, String tokenHint, OffsetDateTime createdAt) {
        this.userId = userId;
        this.name = name;
        this.tokenHash = tokenHash;
        this.tokenHint = tokenHint;
        this.createdAt = createdAt;
    }

    public Long getId() { return id; }
    public long getUserId() { return userId; }
    public String getName() { return name; }
    public String getTokenHint() { return tokenHint; }
    public OffsetDateTime getCreatedAt() { return createdAt; }
    public OffsetDateTime getLastUsedAt() { return lastUsedAt; }
    void setLastUsedAt(OffsetDateTime lastUsedAt) { this.lastUsedAt = lastUsedAt; }
    public OffsetDateTime getRevokedAt() { return revokedAt; }
    void setRevokedAt(OffsetDateTime revokedAt) { this.revokedAt = revokedAt; }
    public boolean isRevoked() { return revokedAt != null; }
}
