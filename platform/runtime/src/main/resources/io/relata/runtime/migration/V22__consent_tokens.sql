-- The links of consents (issue 18): a double opt-in's confirmation and a mail's unsubscribe link. Only the SHA-256
-- of the token in the link is kept, so the table does not hold what opens a link.
CREATE TABLE crm_consent_token (
    token_hash      VARCHAR(64)  PRIMARY KEY,         -- hex SHA-256 of the token
    consent_id      BIGINT       NOT NULL,            -- the record of the entity consent
    kind            VARCHAR(20)  NOT NULL,            -- confirm, withdraw
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE,         -- confirm: after it the link no longer works
    used_at         TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ix_crm_consent_token_consent ON crm_consent_token (consent_id);
