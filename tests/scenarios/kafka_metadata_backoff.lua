-- A producer whose only bootstrap broker is down does not ask for metadata
-- at network speed. NetworkClient's DefaultMetadataUpdater keeps one
-- metadata fetch in flight, waits retry.backoff.ms (100) after each failed
-- one (Metadata.timeToNextUpdate), and asks leastLoadedNode, which skips a
-- node in reconnect backoff: ClusterConnectionStates blacks a node out for
-- reconnect.backoff.ms (50) * 2^failures, capped at
-- reconnect.backoff.max.ms (1000), +/-20% jitter (ExponentialBackoff). So
-- about 5 tries in the first 1.5 s, then about one a second, where every
-- retry.backoff.ms alone would give 10 a second.
lab.cluster{ brokers = 3, zookeepers = 3, seed = 11 }
lab.wait_brokers()
lab.check(lab.create_topic{ name = "b", partitions = 3, replication_factor = 3 }, "topic created")
lab.kill(101)
local p = lab.producer{ bootstrap = { 101 }, acks = "all", max_block_ms = 30000 }
local t0 = lab.now()
local off, err = p:send("b", "k", "v")
lab.check(off == nil and err == "TIMEOUT", "no metadata from dead 101: " .. tostring(err))
lab.check(lab.now() - t0 == 30000, "it gives up after max.block.ms: " .. (lab.now() - t0))
local asked = p:stats().metadata_requests
lab.check(asked >= 25 and asked <= 40,
          "about one try a second in 30 s, not ten (reconnect.backoff.max.ms): " .. asked)

-- the backoff is per node and ends with a connection that works
local q = lab.producer{ bootstrap = { 101, 102 }, acks = "all" }
local off2 = q:send("b", "k", "v")
lab.check(off2 ~= nil, "a producer that also knows 102 goes on to it")
lab.check(q:stats().metadata_requests <= 3, "after one failed try at 101: " .. q:stats().metadata_requests)
