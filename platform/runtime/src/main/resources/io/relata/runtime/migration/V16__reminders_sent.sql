-- Issue 15: the reminders mailed for activities, one per activity and reminder time: a reminder goes out once
-- (also with several nodes), and again only when the reminder is moved (postponed to a new time).
CREATE TABLE crm_reminder_sent (
    activity_id  BIGINT       NOT NULL,
    reminder_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (activity_id, reminder_at)
);
