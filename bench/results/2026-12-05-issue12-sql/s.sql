\pset pager off
PREPARE s(text) AS SELECT * FROM rec_lead WHERE (lower(last_name) LIKE lower($1) ESCAPE '\') ORDER BY id ASC FETCH FIRST 51 ROWS ONLY;
EXECUTE s('%zzqx%'); EXECUTE s('%zzqx%'); EXECUTE s('%zzqx%'); EXECUTE s('%zzqx%'); EXECUTE s('%zzqx%');
EXECUTE s('%zzqx%'); EXECUTE s('%zzqx%'); EXECUTE s('%zzqx%'); EXECUTE s('%zzqx%'); EXECUTE s('%zzqx%');
\echo ### BEFORE: bind parameter, 11th execution
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE s('%zzqx%');
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE s('%zzqx%');
PREPARE t AS SELECT * FROM rec_lead WHERE (lower(last_name) LIKE lower(E'%zzqx%') ESCAPE '\') ORDER BY id ASC FETCH FIRST 51 ROWS ONLY;
EXECUTE t; EXECUTE t; EXECUTE t; EXECUTE t; EXECUTE t; EXECUTE t; EXECUTE t; EXECUTE t; EXECUTE t; EXECUTE t;
\echo ### AFTER: escaped literal, 11th execution
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE t;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE t;
\echo ### AFTER: a term with hits (ab1)
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT * FROM rec_lead WHERE (lower(last_name) LIKE lower(E'%ab1%') ESCAPE '\') ORDER BY id ASC FETCH FIRST 51 ROWS ONLY;
\echo ### AFTER: two characters, prefix (ab)
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT * FROM rec_lead WHERE (lower(last_name) LIKE lower(E'ab%') ESCAPE '\') ORDER BY id ASC FETCH FIRST 51 ROWS ONLY;
