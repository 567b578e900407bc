-- Issue 12: the record page reads a record's phase stamps by (entity, record_id), oldest first
-- (ProcessCases.history: ORDER BY changed_at, id). Without this index that was a scan of every stamp
-- (220 ms at 1M stamps; 0.06 ms with an index).
-- V7: the next free version of the history table that the platform (platform/web, V1-V6) and processes share.
CREATE INDEX ix_crm_phase_stamp_record ON crm_phase_stamp (entity, record_id, changed_at, id);
