-- The admin designer (issue 14). Every publish or roll-back of the site's metadata layer is a revision holding the
-- layer's files as they were published, so that any revision can be restored; each administrator's unpublished
-- changes are a draft of changed files, with what the file held when the draft first changed it (so that a publish
-- sees what others changed meanwhile). Portable across H2 2.x and PostgreSQL 15; a file is at most 1 MiB.

CREATE TABLE crm_site_revision (
    id                BIGINT         NOT NULL PRIMARY KEY,
    published_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    published_by      VARCHAR(200)   NOT NULL,
    comment_text      VARCHAR(2000)  NOT NULL,
    metadata_revision VARCHAR(100),
    restores          BIGINT,
    schema_changes    VARCHAR(100000) NOT NULL
);

CREATE TABLE crm_site_revision_file (
    revision_id BIGINT           NOT NULL REFERENCES crm_site_revision (id),
    path        VARCHAR(500)     NOT NULL,
    content     VARCHAR(2000000) NOT NULL,
    PRIMARY KEY (revision_id, path)
);

CREATE TABLE crm_designer_draft (
    admin_name   VARCHAR(200)     NOT NULL,
    path         VARCHAR(500)     NOT NULL,
    content      VARCHAR(2000000),
    base_content VARCHAR(2000000),
    changed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (admin_name, path)
);
