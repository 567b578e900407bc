-- EclipseLink refused the first values of crm_login_event_seq (START WITH 1 INCREMENT BY 50 gives it a
-- negative pre-allocated range: EclipseLink-7027), so the first login events of a fresh database were lost.
-- One value per login event is plenty; the sequence continues from where it is.
ALTER SEQUENCE crm_login_event_seq INCREMENT BY 1;
