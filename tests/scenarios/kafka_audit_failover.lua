-- The audit right after a failover: the new leader's high watermark lags
-- until its followers fetch again, but records in its log are not lost.
-- (Found when an audit at the moment of election reported 40 safe,
-- acknowledged records as lost.)
lab.cluster{ zookeepers = 3, brokers = 3, seed = 1 }
lab.wait_brokers()
lab.create_topic{ name = "orders", partitions = 3, replication_factor = 3,
                  config = { ["min.insync.replicas"] = 2 } }
local p = lab.producer{ bootstrap = { 101, 102 }, acks = "all" }
local r = p:send_many("orders", 100)
lab.check(r.acked == 100, "100 writes acknowledged")
-- keyless records follow the sticky partitioner (KIP-480,
-- StickyPartitionCache): 100 small records fill one batch, one partition
local part, n = next(r.partitions)
lab.check(n == 100, "all 100 went to partition " .. part .. " in one batch")
local before = lab.partition("orders", part)
lab.kill(before.leader)
lab.run_until(function() return lab.partition("orders", part).leader ~= before.leader end, 30000)
local a = lab.audit()
lab.check(a.acked == 100 and a.lost == 0, "at the election: nothing lost (" .. a.lost .. ")")
lab.check(a.pending > 0, "some records wait above the new leader's HW: " .. a.pending)
lab.run(2000)
a = lab.audit()
lab.check(a.lost == 0 and a.pending == 0, "two seconds later every record is committed again")
