-- Issue 15: the calendar objects of a user's CalDAV collection that a calendar app named itself. An activity made in
-- the CRM is found at activity-<id>.ics and needs no row; an appointment a calendar app creates keeps the resource
-- name and UID the app chose (apps look their events up by both), so the pair is kept here.
CREATE TABLE crm_calendar_object (
    user_id     BIGINT       NOT NULL,
    name        VARCHAR(200) NOT NULL,
    activity_id BIGINT       NOT NULL,
    uid         VARCHAR(255) NOT NULL,
    PRIMARY KEY (user_id, name)
);
CREATE UNIQUE INDEX crm_calendar_object_activity ON crm_calendar_object (user_id, activity_id);
CREATE UNIQUE INDEX crm_calendar_object_uid ON crm_calendar_object (user_id, uid);
