-- Partition reassignment in KRaft mode (KIP-455 as the QuorumController
-- does it: ReplicationControlManager.alterPartitionReassignments,
-- changePartitionReassignment, PartitionReassignmentReplicas,
-- PartitionChangeBuilder.completeReassignmentIfNeeded). One
-- PartitionChangeRecord starts it: replicas = target + the removing ones,
-- with addingReplicas and removingReplicas. The new replica fetches,
-- catches up and the leader's AlterPartition adds it to the ISR; that
-- change completes the reassignment in the same record: replicas = the
-- target, the removed ones leave the ISR, a leader being removed gives
-- way to the first target replica in the ISR. The removed broker deletes
-- its replica when it applies the record (the publisher's local deletes).
-- No ZooKeeper-mode phases: one leader epoch bump in all (the leader
-- moved) against ZooKeeper mode's three (kafka_reassign.lua). Before,
-- lab.reassign in KRaft mode was never answered.
local function list(t) return table.concat(t, ",") end
lab.cluster{ mode = "kraft", controllers = 3, brokers = 4, seed = 3 }
lab.check(lab.wait_brokers(), "four brokers registered and unfenced")
lab.create_topic{ name = "orders", partitions = 1, replication_factor = 3,
                  config = { ["min.insync.replicas"] = 2 } }
local p = lab.producer{ bootstrap = { 101, 102, 103, 104 }, acks = "all" }
lab.check(p:send_many("orders", 200).acked == 200, "200 records before the move")

local before = lab.partition("orders", 0)
local function spare_of(part)
  for id = 101, 104 do
    local used = false
    for _, r in ipairs(part.replicas) do used = used or r == id end
    if not used then return id end
  end
end
local spare = spare_of(before)
local leaving = before.leader
local target = { spare }
for _, r in ipairs(before.replicas) do if r ~= leaving then target[#target + 1] = r end end

-- validateManualPartitionAssignment
lab.check(select(2, lab.reassign{ topic = "orders", partition = 0, replicas = { spare, spare } })
          == "INVALID_REPLICA_ASSIGNMENT", "a broker twice: INVALID_REPLICA_ASSIGNMENT")
lab.check(select(2, lab.reassign{ topic = "orders", partition = 0, replicas = { 101, 109 } })
          == "INVALID_REPLICA_ASSIGNMENT", "a broker that is not registered: INVALID_REPLICA_ASSIGNMENT")
lab.check(select(2, lab.reassign{ topic = "nosuch", partition = 0, replicas = { 101 } })
          == "UNKNOWN_TOPIC_OR_PARTITION", "an unknown topic: UNKNOWN_TOPIC_OR_PARTITION")

lab.check(lab.reassign{ topic = "orders", partition = 0, replicas = target } == true,
          ("reassignment of orders-0 from {%s} to {%s} accepted"):format(list(before.replicas), list(target)))
local during = lab.partition("orders", 0)
lab.check(list(during.replicas) == list(target) .. "," .. leaving and list(during.adding) == tostring(spare)
          and list(during.removing) == tostring(leaving),
          ("while it runs: replicas {%s} = target + removing, adding {%s}, removing {%s}"):format(
            list(during.replicas), list(during.adding), list(during.removing)))
lab.check(during.leader == leaving and during.leader_epoch == before.leader_epoch,
          "the leader stays, its epoch too (no replica left the list yet)")
local started = false
for _, r in ipairs(lab.metadata_log(5)) do
  started = started or (r.name == "PartitionChangeRecord" and
    r.text:find("addingReplicas=[" .. spare .. "]", 1, true) ~= nil and
    r.text:find("removingReplicas=[" .. leaving .. "]", 1, true) ~= nil)
end
lab.check(started, "a PartitionChangeRecord with addingReplicas and removingReplicas started it")

local acked = 0
local done = lab.run_until(function()
  acked = acked + p:send_many("orders", 5).acked
  return #lab.partition("orders", 0).adding == 0
end, 60000)
lab.check(done, "the reassignment completes")
lab.run(1000)
local after = lab.partition("orders", 0)
lab.check(list(after.replicas) == list(target) and #after.removing == 0,
          ("replicas are now the target {%s}"):format(list(after.replicas)))
lab.check(after.leader == spare, ("the leader moved to %d, the first target replica in the ISR"):format(spare))
lab.check(after.leader_epoch == before.leader_epoch + 1,
          ("leader epoch %d -> %d: one bump, the completing record's new leader"):format(
            before.leader_epoch, after.leader_epoch))
local inisr = {}
for _, r in ipairs(after.isr) do inisr[r] = true end
lab.check(not inisr[leaving] and #after.isr == 3, ("ISR {%s} without %d"):format(list(after.isr), leaving))
lab.check(after.leo[leaving] == nil, ("%d deleted its replica"):format(leaving))
lab.check(after.leo[spare] == after.leo[target[2]], ("%d holds the whole log (%d records)"):format(spare, after.leo[spare] or -1))
lab.check(acked > 0 and lab.audit().lost == 0, ("%d records written during the move, none lost"):format(acked))

-- the active controller dies mid-reassignment: a standby holds the log
-- (KIP-500) and completes it once the new replica catches up
local b2 = lab.partition("orders", 0)
local spare2 = spare_of(b2)
local target2 = { b2.replicas[2], b2.replicas[3], spare2 }
lab.check(lab.reassign{ topic = "orders", partition = 0, replicas = target2 } == true,
          ("a second reassignment to {%s}"):format(list(target2)))
lab.pause(spare2)
p:send_many("orders", 50)
local old = lab.quorum().leader
lab.kill(old)
lab.run_until(function() local q = lab.quorum() return q.leader and q.leader ~= old end, 30000)
lab.run(1000)
lab.check(#lab.partition("orders", 0).adding == 1,
          ("%s died, %s leads: orders-0 is still adding %d"):format(old, tostring(lab.quorum().leader), spare2))
lab.resume(spare2)
lab.restart(old)
local ok2 = lab.run_until(function() return #lab.partition("orders", 0).adding == 0 end, 90000)
local fin = lab.partition("orders", 0)
lab.check(ok2 and list(fin.replicas) == list(target2),
          ("the new active controller finished it: replicas {%s}"):format(list(fin.replicas)))
lab.check(lab.converge(60000) and lab.audit().lost == 0, "replicas converge, nothing acknowledged lost")

-- replaced before it finished: the second target adds nothing, and with
-- every target replica in the ISR it completes at once (KAFKA-15665);
-- the replica the first one was adding is deleted
local o = lab.partition("orders", 0)
local spare3 = spare_of(o)
lab.link{ from = o.leader, to = spare3, drop = 1 }
lab.check(lab.reassign{ topic = "orders", partition = 0,
                        replicas = { spare3, o.replicas[2], o.replicas[3] } } == true,
          ("a third reassignment adds %d, which cannot catch up"):format(spare3))
lab.run(1000)
lab.check(#lab.partition("orders", 0).adding == 1, "it waits for " .. spare3)
local final = { o.replicas[2], o.replicas[3], o.replicas[1] }
lab.check(lab.reassign{ topic = "orders", partition = 0, replicas = final } == true,
          ("replaced by {%s}"):format(list(final)))
lab.heal()
lab.run(1000)
local f3 = lab.partition("orders", 0)
lab.check(list(f3.replicas) == list(final) and #f3.adding == 0 and f3.leo[spare3] == nil,
          ("it ends at {%s} at once; %d holds no replica"):format(list(f3.replicas), spare3))
lab.check(lab.converge(60000) and lab.audit().lost == 0, "replicas converge, nothing acknowledged lost")

-- a cancel (AlterPartitionReassignments with null replicas:
-- cancelPartitionReassignment, PartitionReassignmentRevert): the replicas
-- and ISR without the adding ones. The list keeps the merged order, so a
-- replica the move was removing comes back last: KRaft does not restore
-- the original order (ZooKeeper mode does: kafka_reassign.lua)
lab.check(select(2, lab.reassign{ topic = "orders", partition = 0, cancel = true })
          == "NO_REASSIGNMENT_IN_PROGRESS", "nothing to cancel: NO_REASSIGNMENT_IN_PROGRESS")
local c0 = lab.partition("orders", 0)
local sp = spare_of(c0)
-- no replica answers it (the leadership may move: the automatic rebalance)
for _, r in ipairs(c0.replicas) do lab.link{ from = r, to = sp, drop = 1 } end
lab.check(lab.reassign{ topic = "orders", partition = 0,
                        replicas = { sp, c0.replicas[2], c0.replicas[3] } } == true,
          ("a reassignment adds %d and removes %d; %d cannot catch up"):format(sp, c0.replicas[1], sp))
lab.run(1000)
lab.check(#lab.partition("orders", 0).adding == 1, "it waits for " .. sp)
lab.check(lab.reassign{ topic = "orders", partition = 0, cancel = true } == true, "cancelled")
lab.heal()
lab.run(1000)
local cx = lab.partition("orders", 0)
local expect = { c0.replicas[2], c0.replicas[3], c0.replicas[1] }
lab.check(list(cx.replicas) == list(expect) and #cx.adding == 0 and #cx.removing == 0 and cx.leo[sp] == nil,
          ("reverted to {%s} (was {%s}); %d deleted its replica"):format(list(cx.replicas),
            list(c0.replicas), sp))
lab.check(lab.converge(60000) and lab.audit().lost == 0, "replicas converge, nothing acknowledged lost")
