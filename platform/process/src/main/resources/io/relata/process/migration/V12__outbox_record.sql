-- Issue 15: the record an outbox item is about (a process mail of an opportunity), so that the customer view's
-- timeline shows the mails sent for a customer's records. Items queued before carry none (NULL).
ALTER TABLE crm_outbox ADD COLUMN entity VARCHAR(100);
ALTER TABLE crm_outbox ADD COLUMN record_id BIGINT;
CREATE INDEX ix_crm_outbox_record ON crm_outbox (entity, record_id, created_at);
