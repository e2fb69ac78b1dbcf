-- max.in.flight.requests.per.connection (5): the sender keeps sending to a
-- broker while fewer than that many requests to it await an answer
-- (NetworkClient's InFlightRequests.canSendMore); with 1, each Produce
-- waits for the previous one's answer. 20 batches of one partition go out
-- one per request either way.
lab.cluster{ brokers = 3, zookeepers = 3, seed = 47 }
lab.wait_brokers()
lab.check(lab.create_topic{ name = "f", partitions = 1, replication_factor = 3 }, "one partition, RF 3")
local took = {}
for _, n in ipairs{ 1, 5 } do
  local p = lab.producer{ acks = "all", batch_size = 100, max_in_flight_requests_per_connection = n }
  p:send_many("f", 10)      -- values v11 .. v70 next: 3 records a batch
  local s0, t0 = p:stats().produce_requests, lab.now()
  local r = p:send_many("f", 60)
  took[n] = lab.now() - t0
  lab.check(r.acked == 60 and p:stats().produce_requests - s0 == 20,
            ("in flight %d: 60 records, 20 batches, 20 requests, %d ms"):format(n, took[n]))
end
lab.check(took[1] >= 3 * took[5], ("one at a time is slower: %d ms against %d ms"):format(took[1], took[5]))
local ok, err = pcall(lab.producer, { max_in_flight_requests_per_connection = 0 })
lab.check(not ok, "at least 1: " .. tostring(err))
