-- Baseline: read one incident's row by primary key, nothing logged.
\set id random(1, :incidents)
SELECT body FROM incident WHERE id = :id;
