-- Partition reassignment as Kafka 2.8's controller does it
-- (KafkaController.onPartitionReassignment, KIP-455): the topic znode
-- first gets RS = TRS + ORS with adding/removing replicas, the new replica
-- catches up and joins the ISR, the leader moves to a target replica when
-- it is being removed, the removed replica gets StopReplica (delete), and
-- the znode ends with RS = TRS. A producer with acks=all keeps writing
-- throughout and loses nothing.
lab.cluster{ zookeepers = 3, brokers = 4, seed = 3 }
lab.wait_brokers()
lab.create_topic{ name = "orders", partitions = 1, replication_factor = 3,
                  config = { ["min.insync.replicas"] = 2 } }
local p = lab.producer{ bootstrap = { 101, 102, 103, 104 }, acks = "all" }
lab.check(p:send_many("orders", 200).acked == 200, "200 records before the move")

local before = lab.partition("orders", 0)
local spare
for id = 101, 104 do
  local used = false
  for _, r in ipairs(before.replicas) do used = used or r == id end
  if not used then spare = id end
end
-- move the leader's replica to the spare broker
local leaving = before.leader
local target = { spare }
for _, r in ipairs(before.replicas) do if r ~= leaving then target[#target + 1] = r end end

lab.check(select(2, lab.reassign{ topic = "orders", partition = 0, replicas = { spare, spare } })
          == "INVALID_REPLICA_ASSIGNMENT", "a list with a broker twice is refused (INVALID_REPLICA_ASSIGNMENT)")
lab.check(select(2, lab.reassign{ topic = "orders", partition = 0, replicas = { 101, 109 } })
          == "INVALID_REPLICA_ASSIGNMENT", "a new replica on a broker that is not alive is refused")
lab.check(select(2, lab.reassign{ topic = "nosuch", partition = 0, replicas = { 101 } })
          == "UNKNOWN_TOPIC_OR_PARTITION", "an unknown topic: UNKNOWN_TOPIC_OR_PARTITION")

lab.check(lab.reassign{ topic = "orders", partition = 0, replicas = target } == true,
          ("reassignment of orders-0 from {%s} to {%s} accepted"):format(
            table.concat(before.replicas, ","), table.concat(target, ",")))
local during = lab.partition("orders", 0)
lab.check(#during.replicas == 4 and during.replicas[1] == spare and #during.adding == 1 and
          during.adding[1] == spare and #during.removing == 1 and during.removing[1] == leaving,
          ("while it runs: replicas {%s} = TRS + ORS, adding {%s}, removing {%s}"):format(
            table.concat(during.replicas, ","), table.concat(during.adding, ","),
            table.concat(during.removing, ",")))
lab.check(during.leader == leaving, "the leader stays while the new replica catches up")

-- writes go on during the move
local acked = 0
local done = lab.run_until(function()
  acked = acked + p:send_many("orders", 5).acked
  return #lab.partition("orders", 0).adding == 0
end, 60000)
lab.check(done, "the reassignment completes")
lab.run(1000)
local after = lab.partition("orders", 0)
lab.check(table.concat(after.replicas, ",") == table.concat(target, ","),
          ("replicas are now the target {%s}"):format(table.concat(after.replicas, ",")))
lab.check(after.leader == spare, ("the leader moved to %d, the first target replica in the ISR"):format(spare))
lab.check(after.leader_epoch == before.leader_epoch + 3,
          ("leader epoch %d -> %d: bumped when the new replicas were told (A1), when the leader moved (B3), when the removed one left the ISR (B4)"):format(
            before.leader_epoch, after.leader_epoch))
local isr = {}
for _, r in ipairs(after.isr) do isr[r] = true end
lab.check(not isr[leaving] and #after.isr == 3, ("ISR {%s} without %d"):format(table.concat(after.isr, ","), leaving))
lab.check(after.leo[leaving] == nil, ("%d deleted its replica (StopReplica with delete)"):format(leaving))
lab.check(after.leo[spare] == after.leo[target[2]], ("%d holds the whole log (%d records)"):format(spare, after.leo[spare] or -1))
lab.check(acked > 0 and lab.audit().lost == 0, ("%d records written during the move, none lost"):format(acked))

-- a new controller resumes a reassignment left half done: the adding
-- replica's broker is paused so it cannot catch up, the controller dies
local b2 = lab.partition("orders", 0)
local spare2 = leaving
local target2 = { b2.replicas[2], b2.replicas[3], spare2 }
lab.check(lab.reassign{ topic = "orders", partition = 0, replicas = target2 } == true,
          ("a second reassignment to {%s}"):format(table.concat(target2, ",")))
lab.pause(spare2)
p:send_many("orders", 50)
local old_ctrl = lab.controller()
lab.kill(old_ctrl)
lab.run_until(function() local c = lab.controller() return c and c ~= old_ctrl end, 60000)
lab.run(2000)
lab.check(#lab.partition("orders", 0).adding == 1, "after the controller died, the topic znode still says adding " .. spare2)
lab.resume(spare2)
lab.restart(old_ctrl)
local ok2 = lab.run_until(function() return #lab.partition("orders", 0).adding == 0 end, 90000)
local fin = lab.partition("orders", 0)
lab.check(ok2 and table.concat(fin.replicas, ",") == table.concat(target2, ","),
          ("the new controller (%s) finished it: replicas {%s}"):format(tostring(lab.controller()), table.concat(fin.replicas, ",")))
lab.check(lab.converge(60000), "replicas converge")
lab.check(lab.audit().lost == 0, "no acknowledged record lost")

-- a reassignment replaced before it finished (updateCurrentReassignment):
-- the replica the first one was adding and the second does not want is
-- stopped, and the second completes from the original replicas
local o = lab.partition("orders", 0)
local spare3
for id = 101, 104 do
  local used = false
  for _, r in ipairs(o.replicas) do used = used or r == id end
  if not used then spare3 = id end
end
-- the leader's answers to spare3 are dropped: it cannot catch up, so the
-- first reassignment stays in phase A
lab.link{ from = o.leader, to = spare3, drop = 1 }
local ok_r, err_r = lab.reassign{ topic = "orders", partition = 0,
                                  replicas = { spare3, o.replicas[2], o.replicas[3] } }
lab.check(ok_r == true, ("a third reassignment adds %d, which cannot catch up: %s"):format(spare3, tostring(err_r or "started")))
lab.run(1000)
local final = { o.replicas[2], o.replicas[3], o.replicas[1] }
lab.check(lab.reassign{ topic = "orders", partition = 0, replicas = final } == true,
          ("replaced before it finished by {%s}"):format(table.concat(final, ",")))
lab.heal()
local ok3 = lab.run_until(function() return #lab.partition("orders", 0).adding == 0 end, 60000)
lab.run(1000)
local f3 = lab.partition("orders", 0)
lab.check(ok3 and table.concat(f3.replicas, ",") == table.concat(final, ",") and f3.leo[spare3] == nil,
          ("it ends at {%s}; %d, which only the replaced one was adding, holds no replica"):format(
            table.concat(f3.replicas, ","), spare3))
lab.check(lab.converge(60000) and lab.audit().lost == 0, "replicas converge, nothing acknowledged lost")

-- a cancel (KIP-455: AlterPartitionReassignments with null replicas;
-- KafkaController.handleAlterPartitionReassignments reassigns back to the
-- original replicas, ReplicaAssignment.revertReassignment), in their
-- original order; with none running, NO_REASSIGNMENT_IN_PROGRESS
lab.check(select(2, lab.reassign{ topic = "orders", partition = 0, cancel = true })
          == "NO_REASSIGNMENT_IN_PROGRESS", "nothing to cancel: NO_REASSIGNMENT_IN_PROGRESS")
local c0 = lab.partition("orders", 0)
local sp
for id = 101, 104 do
  local used = false
  for _, r in ipairs(c0.replicas) do used = used or r == id end
  if not used then sp = id end
end
-- no replica answers it (the leadership may move: the automatic rebalance)
for _, r in ipairs(c0.replicas) do lab.link{ from = r, to = sp, drop = 1 } end
lab.check(lab.reassign{ topic = "orders", partition = 0,
                        replicas = { sp, c0.replicas[2], c0.replicas[3] } } == true,
          ("a reassignment adds %d, which cannot catch up"):format(sp))
lab.run(1000)
lab.check(#lab.partition("orders", 0).adding == 1, "it waits for " .. sp)
lab.check(lab.reassign{ topic = "orders", partition = 0, cancel = true } == true, "cancelled")
lab.heal()
local okc = lab.run_until(function() return #lab.partition("orders", 0).adding == 0 end, 60000)
lab.run(1000)
local cx = lab.partition("orders", 0)
lab.check(okc and table.concat(cx.replicas, ",") == table.concat(c0.replicas, ",") and cx.leo[sp] == nil,
          ("back to {%s}; %d deleted its replica"):format(table.concat(cx.replicas, ","), sp))
lab.check(lab.converge(60000) and lab.audit().lost == 0, "replicas converge, nothing acknowledged lost")
