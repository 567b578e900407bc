-- Issue 15: the slots prospects booked on the public booking page, one row per owner and start: the primary key
-- makes a second booking of the same slot fail in the database, however close together two prospects press "Book".
CREATE TABLE crm_booked_slot (
    owner_user  BIGINT       NOT NULL,
    slot_start  TIMESTAMP WITH TIME ZONE NOT NULL,
    entity      VARCHAR(100) NOT NULL,
    record_id   BIGINT       NOT NULL,
    booked_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (owner_user, slot_start)
);
