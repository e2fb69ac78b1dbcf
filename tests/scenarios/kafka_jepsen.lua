-- The Jepsen 2013 loss and its safe twin. Unsafe (min.insync.replicas 1,
-- unclean election on): the ISR shrinks to the leader, which alone acks
-- acks=all writes; it is cut off, its session expires, an out-of-sync
-- replica is elected, and the old leader truncates: acked records are
-- gone. Safe (min.insync.replicas 2, unclean off): the leader refuses
-- with NOT_ENOUGH_REPLICAS and nothing acked is lost.
local function scenario(settings)
  lab.cluster{ brokers = 4, zookeepers = 3, seed = 14 }
  lab.run_until(function()
    local n = 0
    for _, b in ipairs(lab.brokers()) do if b.registered then n = n + 1 end end
    return n == 4
  end, 30000)
  lab.check(lab.create_topic{ name = "j", partitions = 4, replication_factor = 3, config = settings },
            "topic created")
  -- the partition the controller holds no replica of: cutting its
  -- followers off leaves the controller's link to the leader alone
  local part
  for q = 0, 3 do
    local holds = false
    for _, id in ipairs(lab.partition("j", q).replicas) do holds = holds or id == lab.controller() end
    if not holds then part = q end
  end
  local p = lab.producer{ bootstrap = { 101, 102, 103, 104 }, acks = "all", delivery_timeout_ms = 20000,
                           request_timeout_ms = 20000 }
  local first = p:send_many("j", 10, part)
  local leader = lab.partition("j", part).leader
  for _, b in ipairs(lab.partition("j", part).replicas) do
    if b ~= leader then lab.link{ from = b, to = leader, drop = 1.0 } end
  end
  -- the followers fall behind only once the leader's log grows: a caught-up
  -- follower stays in the ISR however long it is silent
  -- (Partition.isFollowerOutOfSync); an acks=0 record is never acknowledged
  lab.producer{ bootstrap = { 101, 102, 103, 104 }, acks = 0 }:send_many("j", 1, part)
  local shrank = lab.run_until(function() return #lab.partition("j", part).isr == 1 end, 60000)
  lab.run(1000)      -- the leader hears the AlterIsr answer
  local during = p:send_many("j", 10, part)
  lab.heal()
  lab.isolate(leader)
  local moved = lab.run_until(function()
    local l = lab.partition("j", part).leader
    return l ~= nil and l ~= leader
  end, 60000)
  local offline = lab.partition("j", part).offline
  lab.heal()
  return { first = first, during = during, shrank = shrank, moved = moved, leader = leader,
           offline = offline }
end

local u = scenario{ ["min.insync.replicas"] = 1, ["unclean.leader.election.enable"] = true }
lab.check(u.first.acked == 10, "10 records acked by the full ISR")
lab.check(u.shrank, "the ISR shrank to the leader alone")
lab.check(u.during.acked == 10, "acks=all writes still acknowledged by the leader alone")
lab.check(u.moved, "after the cut-off leader's session expired, an out-of-sync replica leads (unclean)")
lab.check(lab.converge(60000), "the old leader truncates and the replicas converge")
local a = lab.audit()
lab.check(a.lost == 10, ("the audit finds the 10 records acked during the shrink lost (%d)"):format(a.lost))
lab.check(#a.lost_records > 0 and a.lost_records[1].acks == "all", "lost records were acks=all")

local s = scenario{ ["min.insync.replicas"] = 2, ["unclean.leader.election.enable"] = false }
lab.check(s.shrank, "the ISR shrank to the leader alone")
lab.check(s.during.acked == 0, "no write acknowledged by the leader alone")
-- NOT_ENOUGH_REPLICAS is retriable: retried until delivery.timeout.ms,
-- then a timeout (Sender.completeBatch, RecordAccumulator.expiredBatches)
lab.check((s.during.retried.NOT_ENOUGH_REPLICAS or 0) > 0 and s.during.errors.TIMEOUT == 10,
          "the producer sees NOT_ENOUGH_REPLICAS: " .. tostring(s.during.retried.NOT_ENOUGH_REPLICAS) ..
          ", then " .. tostring(s.during.message))
lab.check(not s.moved, "no out-of-sync replica may lead: the partition stays offline")
lab.check(s.offline, "offline while only out-of-sync replicas remain")
lab.run(30000)
lab.check(lab.converge(60000), "once healed the old leader comes back as leader and all converge")
lab.check(lab.audit().lost == 0, "nothing acknowledged is lost")
