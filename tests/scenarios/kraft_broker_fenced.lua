-- KRaft mode (issue 12): a crashed broker is fenced by the active
-- controller once broker.session.timeout.ms (9000 ms) passes without a
-- heartbeat (BrokerHeartbeatManager, ReplicationControlManager.
-- maybeFenceOneStaleBroker -> handleBrokerFenced): it leaves every ISR,
-- its partitions get the next replica in order as leader
-- (PartitionChangeBuilder), acks=all producers keep working, and the
-- audit finds no acknowledged write lost. Brokers learn all of it from
-- the metadata log (FenceBrokerRecord, PartitionChangeRecord). A partition
-- it only followed keeps its leader and leader epoch: since Kafka 3.6
-- (metadata.version 3.6-IV0, KAFKA-15021; PartitionChangeBuilder.
-- triggerLeaderEpochBumpIfNeeded) an ISR shrink moves the partition epoch
-- alone, and the leader and its followers go on as they were.
local function has(list, id)
  for _, x in ipairs(list) do if x == id then return true end end
  return false
end

lab.cluster{ mode = "kraft", controllers = 3, brokers = 3, seed = 1 }
lab.check(lab.wait_brokers(), "every broker registered and unfenced")
lab.check(lab.create_topic{ name = "orders", partitions = 3, replication_factor = 3,
                            config = { ["min.insync.replicas"] = 2 } }, "topic created")
local p = lab.producer{ bootstrap = { 101, 102 }, acks = "all" }
local r = p:send_many("orders", 100)
lab.check(r.acked == 100, "100 writes acknowledged with acks=all")
local part = next(r.partitions)
local before = lab.partition("orders", part)
local dead = before.leader

-- orders-q's leaderEpoch and partitionEpoch in the active controller's image
local function epochs(q)
  for _, rec in ipairs(lab.metadata_image(lab.quorum().leader).records) do
    local le, pe = rec:match("^PartitionRecord%(partitionId=" .. q .. ",.*leaderEpoch=(%d+), partitionEpoch=(%d+)")
    if le then return tonumber(le), tonumber(pe) end
  end
end
local followed, fb = {}, {}
for q = 0, 2 do
  local s = lab.partition("orders", q)
  if s.leader ~= dead then
    followed[#followed + 1] = q
    fb[q] = { leader = s.leader }
    fb[q].le, fb[q].pe = epochs(q)
  end
end
lab.check(#followed == 2, "the broker to crash follows two partitions it does not lead")
local t0 = lab.now()
lab.kill(dead)
-- heartbeats every 2000 ms: the last one came at most 2 s before the
-- crash, so the fence falls 7 to 9 s after it
lab.run(6900)
lab.check(lab.partition("orders", part).leader == dead,
          "6.9 s after the crash the dead broker still leads (its session is valid)")
lab.run_until(function() return lab.partition("orders", part).leader ~= dead end, 5000)
local after = lab.partition("orders", part)
local took = lab.now() - t0
lab.check(after.leader ~= dead and took <= 9100,
          "fenced and replaced within 9 s of its last heartbeat (" .. took .. " ms after the crash)")
local expect
for _, id in ipairs(before.replicas) do
    if id ~= dead and expect == nil then expect = id end
end
lab.check(after.leader == expect, "the next replica in assignment order leads: " .. tostring(after.leader))
lab.check(after.leader_epoch > before.leader_epoch, "the leader epoch went up")
lab.check(not has(after.isr, dead), "the fenced broker left the ISR")
local fenced = false
for _, rec in ipairs(lab.metadata_log(10)) do
    fenced = fenced or rec.text:find("FenceBrokerRecord%(id=" .. dead) ~= nil
end
lab.check(fenced, "the metadata log holds a FenceBrokerRecord for " .. dead)
for _, q in ipairs(followed) do
  local s = lab.partition("orders", q)
  local le, pe = epochs(q)
  local keeps = false
  for _, rec in ipairs(lab.metadata_log(10)) do
    if rec.name == "PartitionChangeRecord" and rec.text:find("partitionId=" .. q .. ",", 1, true) then
      keeps = rec.text:find("leader=", 1, true) == nil
    end
  end
  lab.check(s.leader == fb[q].leader and not has(s.isr, dead) and keeps and
            le == fb[q].le and pe == fb[q].pe + 1,
    ("orders-%d (followed by %d): leader %s stays, leader epoch %d -> %d, partition epoch %d -> %d, its PartitionChangeRecord sets no leader"):format(
      q, dead, tostring(s.leader), fb[q].le, le or -1, fb[q].pe, pe or -1))
end
local r2 = p:send_many("orders", 50)
lab.check(r2.acked == 50, "acks=all writes go on with two brokers (min.insync.replicas 2)")
lab.run(3000)
for _, q in ipairs(followed) do
  local s = lab.partition("orders", q)
  local caught = true
  for _, id in ipairs(s.isr) do caught = caught and s.leo[id] == s.leo[s.leader] end
  lab.check(caught and s.hw == s.leo[s.leader],
    ("orders-%d: its remaining follower kept fetching, high watermark %d at the log end"):format(q, s.hw))
end
local a = lab.audit()
lab.check(a.acked == 150 and a.lost == 0, "no acknowledged write lost (" .. a.lost .. ")")
-- back: it registers again (a new broker epoch), is unfenced once it has
-- caught up with the log, and rejoins the ISR
lab.restart(dead)
lab.run(10000)
lab.check(has(lab.partition("orders", part).isr, dead), "the restarted broker is back in the ISR")
