-- metadata.max.age.ms (300000): a producer refreshes metadata that old
-- even when no error asks it to (Metadata.timeToNextUpdate), so a topic
-- deleted and made again with fewer partitions is seen within 5 minutes.
-- With older metadata a record is bound to a partition that is gone
-- (KafkaProducer.doSend picks once) and expires; with fresh metadata the
-- send waits for the partition to appear (KafkaProducer.waitOnMetadata).
lab.cluster{ brokers = 3, zookeepers = 3, seed = 49 }
lab.wait_brokers()
lab.check(lab.create_topic{ name = "a", partitions = 3, replication_factor = 2 }, "topic a: 3 partitions")
local p = lab.producer{ acks = 1, delivery_timeout_ms = 30000 }
local s = lab.producer{ acks = 1, delivery_timeout_ms = 30000, metadata_max_age_ms = 86400000 }
lab.check(p:send_many("a", 5).acked == 5 and s:send_many("a", 5).acked == 5, "both producers know a")
lab.check(lab.delete_topic("a"), "deleted")
lab.run(3000)
lab.check(lab.create_topic{ name = "a", partitions = 1, replication_factor = 2 }, "made again with 1 partition")
lab.run(300000)

local asked = p:stats().metadata_requests
local r = p:send_many("a", 5, 1)
lab.check(p:stats().metadata_requests > asked, "5 minutes on, the producer asks for metadata again")
lab.check(r.acked == 0 and r.message == "Partition 1 of topic a with partition count 1 is not " ..
          "present in metadata after 60000 ms.", "partition 1 is no more: " .. tostring(r.message))
r = p:send_many("a", 5)
lab.check(r.acked == 5 and r.partitions[0] == 5, "keyless records go to the one partition there is")

r = s:send_many("a", 5, 1)
lab.check(r.acked == 0 and r.message == "Expiring 5 record(s) for a-1:30000 ms has passed since batch creation",
          "with metadata.max.age.ms of a day, the old partition 1 is used: " .. tostring(r.message))
