-- Brokers on the ensemble: topic creation with Kafka's placement, acks=all
-- produce and consume, a crashed leader noticed only after the session
-- timeout, a clean stop that moves leadership at once, RF above the broker
-- count refused.
lab.cluster{ brokers = 3, zookeepers = 3 }
lab.run(5000)
lab.check(lab.controller() ~= nil, "a controller is elected")
lab.check(lab.create_topic{ name = "orders", partitions = 3, replication_factor = 3 }, "topic created")
local ok, err = lab.create_topic{ name = "big", partitions = 1, replication_factor = 4 }
lab.check(ok == nil and err == "INVALID_REPLICATION_FACTOR", "RF 4 on 3 brokers: " .. tostring(err))
local p = lab.producer{ bootstrap = {101}, acks = "all" }
local r = p:send_many("orders", 60)
lab.check(r.acked == 60, "60 records acknowledged")
-- keyless: the sticky partitioner put them all in one batch, one partition
local got = next(r.partitions)
local c = lab.consumer{ bootstrap = {102} }
local recs = c:read("orders", got, 0, 100)
lab.check(recs and #recs > 0, "consumer reads below the HW")

-- crash the leader of partition 0: nobody moves it until the session expires
local part = lab.partition("orders", 0)
local old, epoch = part.leader, part.leader_epoch
lab.kill(old)
lab.run(10000)
lab.check(lab.partition("orders", 0).leader == old, "10 s after the crash the dead broker still leads (session alive)")
lab.run(15000)
local now = lab.partition("orders", 0)
lab.check(now.leader ~= nil and now.leader ~= old, "after the session timeout a new leader: " .. tostring(now.leader))
lab.check(now.leader_epoch > epoch, "the leader epoch went up")

-- a clean stop moves leadership away before the broker goes
local q = lab.partition("orders", 1)
local leader1 = q.leader
lab.stop(leader1)
lab.run(500)
local after = lab.partition("orders", 1)
lab.check(after.leader ~= leader1, "clean stop moved leadership at once: " .. tostring(after.leader))
local a = lab.audit()
lab.check(a.lost == 0, "no acknowledged record lost (acked " .. a.acked .. ")")
