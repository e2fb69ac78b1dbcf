-- KRaft mode: a clean stop is Kafka's controlled shutdown (KIP-631),
-- not a fence. BrokerLifecycleManager enters PENDING_CONTROLLED_SHUTDOWN
-- and heartbeats with wantShutDown; the active controller
-- (BrokerHeartbeatManager.calculateNextBrokerState, ReplicationControl-
-- Manager.handleBrokerInControlledShutdown) puts a broker that leads
-- partitions in CONTROLLED_SHUTDOWN: a BrokerRegistrationChangeRecord
-- with InControlledShutdown = 1 (KIP-841), then PartitionChangeRecords
-- take it out of every ISR and move its leaderships, while it stays
-- registered and unfenced. The ISRs it only followed keep their leader
-- epoch (Kafka 3.6+, KAFKA-15021), so only the registration keeps their
-- leaders from adding it back while it still fetches (Partition.
-- isReplicaIsrEligible; INELIGIBLE_REPLICA from the controller): one
-- record per partition. The heartbeat answer says shouldShutDown only once it leads
-- nothing and every active broker has reported a metadata offset at or
-- past those records (lowestActiveOffset >= controlledShutdownOffset);
-- then it is fenced (FenceBrokerRecord) and exits. The first "not yet"
-- brings its next heartbeat 50 ms later, so the stop takes at least 50 ms
-- (the old lab fenced it on the first heartbeat and stopped at once).
local function has(list, id)
  for _, x in ipairs(list) do if x == id then return true end end
  return false
end

lab.cluster{ mode = "kraft", controllers = 3, brokers = 3, seed = 5 }
lab.check(lab.wait_brokers(), "three brokers registered and unfenced")
lab.check(lab.create_topic{ name = "orders", partitions = 3, replication_factor = 3,
                            config = { ["min.insync.replicas"] = 2 } }, "topic created")
local p = lab.producer{ bootstrap = { 101, 102, 103 }, acks = "all" }
lab.check(p:send_many("orders", 90).acked == 90, "90 writes acknowledged")
local leaving = lab.partition("orders", 0).leader
local before = lab.metadata_log(1)[1].offset
local t0 = lab.now()
lab.stop(leaving)
local took = lab.now() - t0
lab.check(took >= 50 and took < 9000,
  ("%d stopped after %d ms: granted on a later heartbeat (50 ms, then every 2 s), "
   .. "long before a 9 s fence"):format(leaving, took))
local moved, fence_at, last_change, cs_at = 0, nil, nil, nil
for _, r in ipairs(lab.metadata_log(40)) do
  if r.offset > before then
    if r.name == "BrokerRegistrationChangeRecord" and
       r.text:find("brokerId=" .. leaving .. ",.*inControlledShutdown=1") then
      cs_at = cs_at or r.offset
    end
    if r.name == "PartitionChangeRecord" and not fence_at then
      moved = moved + 1
      last_change = r.offset
    end
    if r.name == "FenceBrokerRecord" and r.text:find("id=" .. leaving .. ",", 1, true) then
      fence_at = r.offset
    end
  end
end
lab.check(cs_at and last_change and cs_at < last_change,
  "a BrokerRegistrationChangeRecord puts it in controlled shutdown before the partitions move")
lab.check(moved == 3, ("controlled shutdown: a PartitionChangeRecord for each of its 3 "
  .. "partitions before it is fenced, none adding it back (%d)"):format(moved))
lab.check(fence_at and last_change and fence_at > last_change,
  "its FenceBrokerRecord comes after the partitions moved, when the stop is granted")
for q = 0, 2 do
  local s = lab.partition("orders", q)
  lab.check(s.leader ~= leaving and s.leader ~= nil and not has(s.isr, leaving),
    ("orders-%d: leader %s, ISR {%s} without %d"):format(q, tostring(s.leader),
      table.concat(s.isr, ","), leaving))
end
lab.check(p:send_many("orders", 30).acked == 30, "acks=all writes go on with two brokers")
lab.run(2000)
lab.check(lab.audit().lost == 0, "no acknowledged write lost")
lab.restart(leaving)
lab.check(lab.wait_brokers(), "back: it registers again and is unfenced")

-- lowestActiveOffset: an unfenced broker that does not heartbeat (paused)
-- holds the grant back until its own session runs out (9 s) and the
-- controller fences it; only then may the stopping broker go
lab.cluster{ mode = "kraft", controllers = 3, brokers = 3, seed = 6 }
lab.check(lab.wait_brokers(), "three brokers")
lab.check(lab.create_topic{ name = "t", partitions = 1, replication_factor = 3 }, "topic t")
local s0 = lab.partition("t", 0)
local stopping = s0.leader
local paused = s0.replicas[1] == stopping and s0.replicas[2] or s0.replicas[1]
lab.pause(paused)
t0 = lab.now()
lab.stop(stopping)
took = lab.now() - t0
local s1 = lab.partition("t", 0)
lab.check(took > 2500 and took < 11500,
  ("with %d paused (it reports no metadata offset) the stop of %d waits %d ms, until %d is fenced"):format(
    paused, stopping, took, paused))
lab.check(s1.leader ~= stopping and s1.leader ~= paused and s1.leader ~= nil,
  ("t-0 went to the one broker left, %s"):format(tostring(s1.leader)))
lab.resume(paused)

-- a partition with no other replica: KRaft's controlled shutdown leaves
-- it without a leader at once (no replica is acceptable), its ISR keeps
-- its last member, and the broker is granted the stop (it leads nothing)
lab.cluster{ mode = "kraft", controllers = 3, brokers = 3, seed = 7 }
lab.check(lab.wait_brokers(), "three brokers")
lab.check(lab.create_topic{ name = "solo", partitions = 1, replication_factor = 1 }, "RF 1 topic")
local only = lab.partition("solo", 0).leader
t0 = lab.now()
lab.stop(only)
took = lab.now() - t0
local solo = lab.partition("solo", 0)
lab.check(took < 9000 and solo.leader == nil and #solo.isr == 1 and solo.isr[1] == only,
  ("%d stopped in %d ms; solo-0 has no leader and its ISR is {%s}"):format(only, took,
    table.concat(solo.isr, ",")))
