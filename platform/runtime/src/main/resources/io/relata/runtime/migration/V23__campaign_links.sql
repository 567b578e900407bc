-- The links of campaign mails that count clicks (issue 18, only for a campaign with track_clicks): each link of a
-- member's mail leads through the CRM once, by a token of its own. Only the SHA-256 of the token is kept.
CREATE TABLE crm_campaign_link (
    token_hash      VARCHAR(64)   PRIMARY KEY,        -- hex SHA-256 of the token
    member_id       BIGINT        NOT NULL,           -- the record of the entity campaign_member
    url             VARCHAR(2000) NOT NULL,           -- where the link leads
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    clicked_at      TIMESTAMP WITH TIME ZONE          -- the first click
);
CREATE INDEX ix_crm_campaign_link_member ON crm_campaign_link (member_id);
