-- Keyed records: partition = toPositive(murmur2(key)) % partitions, as
-- Kafka 2.8's DefaultPartitioner computes it (Utils.murmur2, seed
-- 0x9747b28c; toPositive masks the sign bit). The producer waits for the
-- topic's metadata before it chooses (KafkaProducer.waitOnMetadata), so a
-- new producer's very first keyed record is hashed too. The expected
-- partitions come from Kafka's own murmur2 vectors (UtilsTest.testMurmur2).
lab.cluster{ brokers = 3, zookeepers = 3, seed = 41 }
lab.wait_brokers()
lab.check(lab.create_topic{ name = "t3", partitions = 3, replication_factor = 2 }, "t3: 3 partitions")
lab.check(lab.create_topic{ name = "t4", partitions = 4, replication_factor = 2 }, "t4: 4 partitions")

local fresh = lab.producer{ acks = "all" }
local off, part = fresh:send("t3", "b", "v")
lab.check(part == 2, "a new producer's first record with key \"b\" goes to partition 2: " .. tostring(part))

-- murmur2("21") = -973932308, ("foobar") = -790332482, ("abc") = 479470107,
-- ("a-little-bit-long-string") = -985981536
local want = { { "21", 0 }, { "foobar", 2 }, { "abc", 3 }, { "a-little-bit-long-string", 0 } }
local p = lab.producer{ acks = "all" }
for _, kw in ipairs(want) do
  local key, w = kw[1], kw[2]
  local o, got = p:send("t4", key, "v")
  lab.check(got == w, ("key %q -> partition %d (Kafka: %d)"):format(key, got or -1, w))
end
-- the same key always lands together, however many records
local r = p:send_many("t4", 50, -1, "foobar")
lab.check(r.acked == 50 and r.partitions[2] == 50, "50 records keyed \"foobar\" all on partition 2")
