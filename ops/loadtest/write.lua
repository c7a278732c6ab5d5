-- wrk script: durable writes, each a new incident at one of a million addresses with its own
-- Idempotency-Key, as the user whose session token is in CASELEDGER_TOKEN. Each answer carries
-- the intake's address matches and the location's history.
-- The addresses are drawn from a generator seeded by CASELEDGER_RUN and the thread, so each round
-- draws its own addresses: wrk starts every run's generator in the same state, and unseeded,
-- every round would repeat the first round's addresses and so record repeat locations only.
local counter = 0
local prefix = ""
local headers = {}
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_number", next_thread)
end

function init(args)
  local run = os.getenv("CASELEDGER_RUN") or "0"
  prefix = string.format("load-%s-%d-", run, thread_number or 0)
  local seed = thread_number or 0
  for i = 1, #run do seed = (seed * 31 + run:byte(i)) % 2147483647 end
  math.randomseed(seed)
  headers["Authorization"] = "Bearer " .. os.getenv("CASELEDGER_TOKEN")
  headers["Content-Type"] = "application/json"
  headers["X-Purpose"] = "load test"
end

function request()
  counter = counter + 1
  headers["Idempotency-Key"] = prefix .. counter
  local body = string.format(
    '{"occurred_at":"2026-11-20T21:00:00Z","channel":"phone","category":"nuisance",' ..
    '"location":{"text":"%d Load Street, Leicester"},"description":"noise from the flat above"}',
    math.random(1, 1000000))
  return wrk.format("POST", "/api/v1/incidents", headers, body)
end
