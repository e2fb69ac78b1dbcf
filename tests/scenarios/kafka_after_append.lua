-- NOT_ENOUGH_REPLICAS_AFTER_APPEND: with acks=all and min.insync.replicas
-- 2, the leader accepts a produce while its ISR still has 3 members and
-- appends it; before the followers fetch it, the ISR shrinks to the
-- leader alone (they lag longer than replica.lag.time.max.ms). The high
-- watermark then covers the records, but the ISR is below min.insync, so
-- the leader answers NOT_ENOUGH_REPLICAS_AFTER_APPEND: the records are in
-- the log, the producer is told they failed, and its retries meet
-- NOT_ENOUGH_REPLICAS until the batch is delivery.timeout.ms old, when it
-- fails with a timeout (Sender.completeBatch retries retriable errors;
-- RecordAccumulator.expiredBatches expires the batch).
lab.cluster{ brokers = 4, zookeepers = 3, seed = 23 }
lab.wait_brokers()
lab.check(lab.create_topic{ name = "a", partitions = 4, replication_factor = 3,
                            config = { ["min.insync.replicas"] = 2 } }, "topic created")
-- a partition the controller holds no replica of: the leader's AlterIsr
-- still reaches the controller once its followers are cut off
local part
for q = 0, 3 do
  local holds = false
  for _, id in ipairs(lab.partition("a", q).replicas) do holds = holds or id == lab.controller() end
  if not holds then part = q end
end
local s = lab.partition("a", part)
local leader = s.leader
lab.check(#s.isr == 3, "ISR of 3 at the start")
local pa = lab.producer{ acks = "all", delivery_timeout_ms = 60000 }
local r = pa:send_many("a", 3, part)
lab.check(r.acked == 3, "acks=all with the full ISR: acknowledged")

-- the followers stop fetching; for 30 s (replica.lag.time.max.ms) they
-- stay in the ISR
for _, id in ipairs(s.replicas) do
  if id ~= leader then lab.link{ from = id, to = leader, drop = 1.0 } end
end
lab.run(20000)
lab.check(#lab.partition("a", part).isr == 3, "20 s later the lagging followers are still in the ISR")
local hw0 = lab.partition("a", part).hw

r = pa:send_many("a", 2, part)
lab.check(r.acked == 0, "the producer's records were not acknowledged")
lab.check((r.retried.NOT_ENOUGH_REPLICAS_AFTER_APPEND or 0) >= 1,
          "the leader answered NOT_ENOUGH_REPLICAS_AFTER_APPEND (seen " ..
          tostring(r.retried.NOT_ENOUGH_REPLICAS_AFTER_APPEND) .. " times)")
lab.check((r.retried.NOT_ENOUGH_REPLICAS or 0) >= 1 and r.errors.TIMEOUT == 2,
          "the retries met NOT_ENOUGH_REPLICAS until the delivery timeout (final: " ..
          tostring(r.message) .. ")")
local now = lab.partition("a", part)
lab.check(#now.isr == 1 and now.isr[1] == leader, "the ISR shrank to the leader alone")
lab.check(now.hw >= hw0 + 2, "yet the records were appended and are below the HW (" ..
          hw0 .. " -> " .. now.hw .. "): 'failed' does not mean 'not written'")
lab.check(lab.audit().lost == 0, "no acknowledged record lost")
