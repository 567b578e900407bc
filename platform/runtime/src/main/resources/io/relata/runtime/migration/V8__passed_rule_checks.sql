-- Rule checks that passed (issue 12): compile checks and example runs of unchanged rules are not repeated at the
-- next start or reload. The fingerprint (SHA-256, hex) covers everything the outcome depends on; see
-- io.relata.web.runtime.RememberedRuleChecks. Only passes are kept; rows older than 90 days are removed, so that
-- every check runs again now and then. Portable across H2 2.x and PostgreSQL 15.

CREATE TABLE crm_passed_rule_check (
    fingerprint CHAR(64)                 NOT NULL PRIMARY KEY,
    passed_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
