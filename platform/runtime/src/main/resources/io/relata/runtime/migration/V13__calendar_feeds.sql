-- Issue 15: each user's calendar feed (iCalendar over HTTPS, read-only) is reached by a secret token in its URL.
-- Only the token's SHA-256 is stored; a new token replaces the old one, and the old URL stops working.
CREATE TABLE crm_calendar_feed (
    user_id     BIGINT       NOT NULL PRIMARY KEY,
    token_hash  VARCHAR(64)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX ux_crm_calendar_feed_token ON crm_calendar_feed (token_hash);
