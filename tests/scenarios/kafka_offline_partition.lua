-- A partition without a leader holds back only its own batches
-- (RecordAccumulator.ready puts its topic in unknownLeaderTopics and asks
-- for metadata; the other partitions' batches go out). The sticky
-- partitioner then picks among partitions with a leader only
-- (StickyPartitionCache: availablePartitionsForTopic).
lab.cluster{ brokers = 3, zookeepers = 3, seed = 43 }
lab.wait_brokers()
lab.check(lab.create_topic{ name = "h", partitions = 3, replication_factor = 1 }, "3 partitions, one replica each")
local p = lab.producer{ acks = 1, batch_size = 100 }
lab.check(p:send_many("h", 3).acked == 3, "the producer knows the cluster")

-- a single-replica partition whose broker stops goes offline; the
-- producer's metadata still names its old leader
local x = 1
local dead = lab.partition("h", x).leader
lab.kill(dead)
lab.run(25000)      -- the session expires: partition 1 has no leader
lab.check(lab.partition("h", x).offline, "partition 1 is offline")

local r = p:send_many("h", 60)
lab.check(r.acked > 0 and r.partitions[x] == nil, "records for partitions with a leader were acknowledged: " .. r.acked)
local others = 0
for q, n in pairs(r.failed_partitions) do if q ~= x then others = others + n end end
lab.check(others == 0, "no record of another partition failed: " .. others)
lab.check(r.failed == (r.failed_partitions[x] or 0) and r.failed > 0,
          "only partition 1's batches failed (" .. r.failed .. ")")
lab.check(r.failed == (r.errors.TIMEOUT or 0), "they waited for a leader until delivery.timeout.ms: " .. tostring(r.message))

-- with fresh metadata the sticky partitioner skips the offline partition
r = p:send_many("h", 60)
lab.check(r.acked == 60 and r.partitions[x] == nil, "60 keyless records, all acknowledged, none on partition 1")
