-- delivery.timeout.ms (KIP-91): a batch not acknowledged that long after
-- it was made fails with a timeout (Sender: "Expiring N record(s) for
-- TOPIC-P: X ms has passed since batch creation"); the broker errors met
-- on the way are retries (Sender.completeBatch). Metadata is refreshed on
-- invalid-metadata errors and disconnects, not on NOT_ENOUGH_REPLICAS.
-- A delivery.timeout.ms below linger.ms + request.timeout.ms is a
-- configuration error (KafkaProducer.configureDeliveryTimeout).
lab.cluster{ brokers = 3, zookeepers = 3, seed = 44 }
lab.wait_brokers()

local ok, err = pcall(lab.producer, { delivery_timeout_ms = 10000 })
lab.check(not ok and err:find("delivery.timeout.ms %(10000%) should be equal to or larger than linger.ms %+ request.timeout.ms %(0 %+ 30000%)"),
          "delivery.timeout.ms 10000 < 0 + 30000 is refused: " .. tostring(err))
ok, err = pcall(lab.producer, { linger_ms = 5000, delivery_timeout_ms = 34000 })
lab.check(not ok, "so is 34000 with linger.ms 5000")
lab.check(pcall(lab.producer, { linger_ms = 5000, delivery_timeout_ms = 35000 }), "35000 = 5000 + 30000 is fine")
lab.check(pcall(lab.producer, { linger_ms = 200000 }), "left out, it grows to linger.ms + request.timeout.ms")

-- min.insync.replicas above the replication factor: every acks=all
-- produce is answered NOT_ENOUGH_REPLICAS
lab.check(lab.create_topic{ name = "n", partitions = 1, replication_factor = 1,
                            config = { ["min.insync.replicas"] = 2 } }, "topic n: RF 1, min.insync.replicas 2")
local p = lab.producer{ acks = "all", delivery_timeout_ms = 30000 }
local t0 = lab.now()
local r = p:send_many("n", 5)
local took = lab.now() - t0
lab.check(r.acked == 0 and r.errors.TIMEOUT == 5, "the 5 records fail with a timeout")
lab.check((r.retried.NOT_ENOUGH_REPLICAS or 0) > 100,
          "after the leader answered NOT_ENOUGH_REPLICAS, retried every retry.backoff.ms: " ..
          tostring(r.retried.NOT_ENOUGH_REPLICAS))
lab.check(took >= 30000 and took < 30100, "at delivery.timeout.ms: " .. took .. " ms")
lab.check(r.message and r.message:match("^Expiring 5 record%(s%) for n%-0:30000 ms has passed since batch creation$"),
          "in Kafka's words: " .. tostring(r.message))
lab.check(p:stats().metadata_requests == 1,
          "one Metadata request, before the first send; none for NOT_ENOUGH_REPLICAS: " .. p:stats().metadata_requests)
local off, e, why = p:send("n", "k", "v")
lab.check(off == nil and e == "TIMEOUT" and why:find("^Expiring 1 record"), "p:send gives the same: " .. tostring(why))

-- a leader that moves: NOT_LEADER_OR_FOLLOWER is an invalid-metadata error
lab.check(lab.create_topic{ name = "m", partitions = 1, replication_factor = 3 }, "topic m: RF 3")
local q = lab.producer{ acks = "all" }
lab.check(q:send_many("m", 5).acked == 5, "written")
local before = q:stats().metadata_requests
lab.stop(lab.partition("m", 0).leader)
lab.check(q:send_many("m", 5).acked == 5, "written again, to the new leader")
lab.check(q:stats().metadata_requests > before, "after a disconnect or NOT_LEADER_OR_FOLLOWER the producer asked for metadata again")
