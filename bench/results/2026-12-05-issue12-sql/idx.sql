\timing on
CREATE INDEX CONCURRENTLY "cx_rec_lead_created_at" ON "rec_lead" ("created_at" ASC, "id" ASC);
CREATE INDEX CONCURRENTLY "cx_rec_lead_owner_user_created_at" ON "rec_lead" ("owner_user" ASC NULLS LAST, "created_at" ASC, "id" ASC);
CREATE INDEX CONCURRENTLY "cx_rec_lead_owner_team_created_at" ON "rec_lead" ("owner_team" ASC NULLS LAST, "created_at" ASC, "id" ASC);
CREATE INDEX CONCURRENTLY "cx_rec_lead_status_created_at" ON "rec_lead" ("status" ASC NULLS LAST, "created_at" ASC, "id" ASC);
CREATE INDEX CONCURRENTLY "cx_rec_lead_status_received_at_desc" ON "rec_lead" ("status" ASC NULLS LAST, "received_at" DESC NULLS LAST, "id" DESC);
ANALYZE rec_lead;
