-- The metadata files the record tables were last brought in line with (issue 11). A start compares the new
-- metadata with them, so that changes made to the files while the server was down (an option removed, a text
-- field made an email field) have their stored values checked like a reload does. Replaced on every load.
-- Portable across H2 2.x and PostgreSQL 15; a file is at most 1 MiB (crm.metadata.max.file.kb).

CREATE TABLE crm_applied_metadata (
    path    VARCHAR(2000)    NOT NULL PRIMARY KEY,
    content VARCHAR(2000000) NOT NULL
);
