EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT * FROM rec_lead WHERE ((created_at, id) < (:'cur_ts', :cur_id)) ORDER BY created_at DESC, id DESC FETCH FIRST 51 ROWS ONLY;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT * FROM rec_lead WHERE ((created_at, id) < (:'cur_ts', :cur_id)) ORDER BY created_at DESC, id DESC FETCH FIRST 51 ROWS ONLY;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT * FROM rec_lead WHERE ((created_at, id) < (:'cur_ts', :cur_id)) ORDER BY created_at DESC, id DESC FETCH FIRST 51 ROWS ONLY;
