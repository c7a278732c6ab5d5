-- wrk script: authorised case-view reads, each of a random incident named in the file given
-- after "--" (one id per line), as the user whose session token is in CASELEDGER_TOKEN.
local ids = {}
local headers = {}

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  headers["Authorization"] = "Bearer " .. os.getenv("CASELEDGER_TOKEN")
  headers["X-Purpose"] = "load test"
end

function request()
  return wrk.format("GET", "/api/v1/incidents/" .. ids[math.random(#ids)], headers)
end
