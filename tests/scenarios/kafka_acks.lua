-- acks 0, 1 and all, min.insync.replicas, and consumers reading only below
-- the high watermark.
lab.cluster{ brokers = 4, zookeepers = 3, seed = 19 }
lab.run_until(function()
  local n = 0
  for _, b in ipairs(lab.brokers()) do if b.registered then n = n + 1 end end
  return n == 4
end, 30000)
lab.check(lab.create_topic{ name = "a", partitions = 4, replication_factor = 3,
                            config = { ["min.insync.replicas"] = 2 } }, "topic created")
local part
for q = 0, 3 do
  local holds = false
  for _, id in ipairs(lab.partition("a", q).replicas) do holds = holds or id == lab.controller() end
  if not holds then part = q end
end
local s = lab.partition("a", part)
local leader = s.leader
local f1, f2
for _, id in ipairs(s.replicas) do
  if id ~= leader then if f1 then f2 = id else f1 = id end end
end
local p0 = lab.producer{ acks = 0 }
local p1 = lab.producer{ acks = 1 }
-- delivery.timeout.ms may not be below linger.ms + request.timeout.ms
-- (KafkaProducer.configureDeliveryTimeout): a short one needs a short
-- request timeout too
local pa = lab.producer{ acks = "all", delivery_timeout_ms = 10000, request_timeout_ms = 5000 }
local c = lab.consumer{}

local r = p0:send_many("a", 5, part)
lab.check(r.acked == 5, "acks=0: the producer counts 5 sent without any answer")
lab.run(1000)
lab.check(lab.partition("a", part).hw == 5, "and they did arrive, HW 5")
lab.check(lab.audit().acked == 0, "acks=0 records are not in the acknowledged-write ledger")

-- the followers stop fetching: acks=1 is answered, the HW stays
lab.link{ from = f1, to = leader, drop = 1.0 }
lab.link{ from = f2, to = leader, drop = 1.0 }
lab.run(2000)
r = p1:send_many("a", 5, part)
lab.check(r.acked == 5, "acks=1: acknowledged by the leader alone")
s = lab.partition("a", part)
lab.check(s.leo[leader] == 10 and s.hw == 5, ("the leader's log ends at %d, the HW is %d"):format(s.leo[leader], s.hw))
local recs = c:read("a", part, 0, 100)
lab.check(recs and #recs == 5, "a consumer reads only the 5 records below the HW: " .. (recs and #recs or -1))
local none, err = c:read("a", part, 5, 100)
lab.check(none and #none == 0, "offset 5 and beyond are not readable yet: " .. tostring(err))

-- acks=all waits for the ISR, which still lists the followers
r = pa:send_many("a", 2, part)
lab.check(r.acked == 0, "acks=all is not answered while the in-sync followers do not fetch")
lab.heal()
lab.check(lab.converge(60000), "once they fetch again, everything converges")
s = lab.partition("a", part)
lab.check(s.hw == s.leo[leader], "the HW reached the log end: " .. s.hw)
recs = c:read("a", part, 0, 100)
lab.check(recs and #recs == s.hw, "now the consumer reads all " .. s.hw)

-- min.insync.replicas 2: one follower gone is fine, two are not
lab.kill(f1)
lab.run(50000)      -- its session expires: out of the ISR
lab.check(#lab.partition("a", part).isr == 2, "ISR of 2 after one follower crashed")
r = pa:send_many("a", 3, part)
lab.check(r.acked == 3, "acks=all with 2 in sync >= min.insync.replicas 2: acked")
lab.kill(f2)
lab.run(50000)
lab.check(#lab.partition("a", part).isr == 1, "ISR of 1 after the second crashed")
r = pa:send_many("a", 3, part)
-- NOT_ENOUGH_REPLICAS is retriable: the producer retries it until the
-- batch is delivery.timeout.ms old, then fails it with a timeout
-- (Sender.completeBatch, RecordAccumulator.expiredBatches)
lab.check(r.acked == 0 and (r.retried.NOT_ENOUGH_REPLICAS or 0) > 0,
          "acks=all refused with NOT_ENOUGH_REPLICAS: " .. tostring(r.retried.NOT_ENOUGH_REPLICAS))
lab.check(r.errors.TIMEOUT == 3, "retried until delivery.timeout.ms: " .. tostring(r.message))
r = p1:send_many("a", 3, part)
lab.check(r.acked == 3, "acks=1 is still accepted: min.insync.replicas binds acks=all only")
lab.restart(f1)
lab.restart(f2)
lab.check(lab.converge(60000), "both come back and converge")
lab.check(lab.audit().lost == 0, "nothing acknowledged lost")
