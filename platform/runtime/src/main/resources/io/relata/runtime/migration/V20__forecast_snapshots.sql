-- Issue 16: the forecast as it stood each week, so that its changes are visible (commit up 20,000 since last week).
-- One row per week (its Monday), salesperson and month of the forecast; written once a week by whichever node comes
-- first (the primary key keeps a second node from writing the week again). Amounts over every opportunity of the
-- salesperson (the platform's view); a viewer is shown the change only for rows they see in full.
CREATE TABLE crm_forecast_snapshot (
    week_start  DATE          NOT NULL,
    owner_user  BIGINT        NOT NULL,
    month_start DATE          NOT NULL,
    quota       NUMERIC(18, 2),
    won         NUMERIC(18, 2),
    commit_sum  NUMERIC(18, 2),
    best_case   NUMERIC(18, 2),
    pipeline    NUMERIC(18, 2),
    weighted    NUMERIC(18, 2),
    taken_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_crm_forecast_snapshot PRIMARY KEY (week_start, owner_user, month_start)
);
