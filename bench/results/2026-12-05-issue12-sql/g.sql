\pset pager off
SET plan_cache_mode = force_generic_plan;
PREPARE s(text) AS SELECT * FROM rec_lead WHERE (lower(last_name) LIKE lower($1) ESCAPE '\') ORDER BY id ASC FETCH FIRST 51 ROWS ONLY;
\echo ### generic plan, bind parameter
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE s('%zzqx%');
PREPARE t AS SELECT * FROM rec_lead WHERE (lower(last_name) LIKE lower(E'%zzqx%') ESCAPE '\') ORDER BY id ASC FETCH FIRST 51 ROWS ONLY;
\echo ### generic plan, escaped literal
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE t;
