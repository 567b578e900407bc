\pset pager off
SELECT created_at AS cur_ts, id AS cur_id FROM rec_lead ORDER BY created_at DESC, id DESC OFFSET 500000 LIMIT 1 \gset
SELECT received_at AS rcur_ts, id AS rcur_id FROM rec_lead WHERE status = 'contacted' AND received_at IS NOT NULL ORDER BY received_at DESC, id DESC OFFSET 100000 LIMIT 1 \gset
\echo cursor :cur_ts :cur_id / :rcur_ts :rcur_id
\o out-:phase.txt
\echo ### Q1 all newest first
\i q1-:phase.sql
\echo ### Q2 owner newest first
\i q2-:phase.sql
\echo ### Q3 status newest first
\i q3-:phase.sql
\echo ### Q4 keyset depth 500k newest first
\i q4-:phase.sql
\echo ### Q5 status, received_at desc (declared), keyset depth 100k
\i q5-:phase.sql
\echo ### Q6 count status=new
\i q6-:phase.sql
\o
