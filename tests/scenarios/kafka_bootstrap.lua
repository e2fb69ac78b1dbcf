-- The bootstrap failure: bootstrap.servers is only for discovery. A
-- running client outlives its bootstrap broker; a new client whose every
-- bootstrap broker is down cannot start although other brokers are alive.
lab.cluster{ brokers = 3, zookeepers = 3, seed = 11 }
lab.run_until(function()
  local n = 0
  for _, b in ipairs(lab.brokers()) do if b.registered then n = n + 1 end end
  return n == 3 and lab.controller() ~= nil
end, 30000)
lab.check(lab.create_topic{ name = "b", partitions = 3, replication_factor = 3 }, "topic created")
local p = lab.producer{ bootstrap = { 101 }, acks = "all" }
local acked = 0
for q = 0, 2 do acked = acked + p:send_many("b", 10, q).acked end
lab.check(acked == 30, "a producer bootstrapped from 101 alone reaches every leader")
lab.kill(101)
lab.run(25000)     -- past the session timeout: leadership moved off 101
local r = p:send_many("b", 30)
lab.check(r.acked == 30, "the running producer carries on without its bootstrap broker")
-- KafkaProducer.waitOnMetadata: send blocks up to max.block.ms for the
-- topic's metadata, then fails with a timeout
local late = lab.producer{ bootstrap = { 101 }, acks = "all", max_block_ms = 10000 }
local t0 = lab.now()
local off, err, why = late:send("b", "k", "v")
lab.check(off == nil and err == "TIMEOUT", "a new producer with only dead 101 to ask cannot start: " .. tostring(err))
lab.check(lab.now() - t0 == 10000, "it gives up after max.block.ms, 10000 ms: " .. (lab.now() - t0))
lab.check(why == "Topic b not present in metadata after 10000 ms.", "in Kafka's words: " .. tostring(why))
local c = lab.consumer{ bootstrap = { 101 } }
local recs, cerr = c:read("b", 0, 0, 10)
lab.check(recs == nil, "nor can a new consumer: " .. tostring(cerr))
local up = 0
for _, b in ipairs(lab.brokers()) do if b.up then up = up + 1 end end
lab.check(up == 2, "while two brokers are up")
local good = lab.producer{ bootstrap = { 101, 102 }, acks = "all" }
lab.check(good:send("b", "k", "v") ~= nil, "listing a second broker is enough")
lab.restart(101)
lab.check(lab.converge(60000), "after 101 restarts every replica converges")
lab.check(lab.audit().lost == 0, "nothing acknowledged was lost")
