-- wrk script: POST OpenAI chat completions, rotating over the keys in $KEYS_FILE (one per line),
-- optionally pausing $DELAY_MS between requests on each connection (for a moderate, steady rate). With
-- SCOPES=1 each request also names one of 10 teams and one of CUSTOMERS (100) customers, so it counts in
-- three scopes (its key, a team, a customer) besides the org. IDEMPOTENCY=1 gives each request an
-- Idempotency-Key of its own; CACHE=1 asks for the response cache (every request after the first is a hit).
local keys = {}
local keys_file = os.getenv("KEYS_FILE")
if keys_file then
  for line in io.lines(keys_file) do
    if #line > 0 then keys[#keys + 1] = line end
  end
end
if #keys == 0 then keys[1] = "direct" end

local stream = os.getenv("STREAM") == "1"
local body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":16'
  .. (stream and ',"stream":true' or '') .. '}'
local path = os.getenv("CHAT_PATH") or "/v1/chat/completions"
local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
local scopes = os.getenv("SCOPES") == "1"
local customers = tonumber(os.getenv("CUSTOMERS") or "100")
local idempotency = os.getenv("IDEMPOTENCY") == "1"
local cache = os.getenv("CACHE") == "1"
local run_id = tostring(os.time())
local n = 0

request = function()
  n = n + 1
  local key = keys[(n % #keys) + 1]
  local headers = {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}
  if scopes then
    headers["X-Team-ID"] = "team-" .. (n % 10)
    headers["X-Customer-ID"] = "customer-" .. (n % customers)
  end
  if idempotency then
    headers["Idempotency-Key"] = "bench-" .. run_id .. "-" .. n
  end
  if cache then
    headers["X-Tollgate-Cache"] = "use"
  end
  return wrk.format("POST", path, headers, body)
end

if delay_ms > 0 then
  delay = function() return delay_ms end
end
