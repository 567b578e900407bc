-- Issue 17: the dashboards each user pinned, in their order; the first pinned one is the user's own start dashboard.
-- A pin of a dashboard the user no longer sees (its roles changed, it was removed) is ignored, not deleted: it
-- returns with the dashboard.
CREATE TABLE crm_dashboard_pin (
    user_id   BIGINT      NOT NULL,
    dashboard VARCHAR(40) NOT NULL,
    position  INTEGER     NOT NULL,
    CONSTRAINT pk_crm_dashboard_pin PRIMARY KEY (user_id, dashboard)
);
