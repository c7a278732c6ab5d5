-- Baseline for a durable write: insert one incident row (the same JSON body caseledger gets),
-- committed synchronously.
\set n random(1, 1000000)
INSERT INTO incident (body) VALUES (('{"occurred_at":"2026-11-20T21:00:00Z","channel":"phone","category":"nuisance","location":{"text":"' || :n || ' Load Street, Leicester"},"description":"noise from the flat above"}')::jsonb);
