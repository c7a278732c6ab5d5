-- Baseline for an authorised read with its s.62 entry: read one incident's row and commit an
-- access-log row naming the actor and the purpose, synchronously (the read is answered after
-- the commit, as caseledger answers after its access-log append is durable).
\set id random(1, :incidents)
BEGIN;
SELECT body FROM incident WHERE id = :id;
INSERT INTO access_log (record_id, actor, purpose, at) VALUES (:id, 'user-load', 'load test', now());
COMMIT;
