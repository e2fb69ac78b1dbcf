-- Truncation by leader epoch (KIP-101): records the old leader appended
-- with acks=1 but never replicated are cut from its log when it comes
-- back as a follower of the new leader; the audit shows those acks=1
-- records lost, and the acks=all ones kept.
lab.cluster{ brokers = 4, zookeepers = 3, seed = 18 }
lab.run_until(function()
  local n = 0
  for _, b in ipairs(lab.brokers()) do if b.registered then n = n + 1 end end
  return n == 4
end, 30000)
lab.check(lab.create_topic{ name = "t", partitions = 4, replication_factor = 3 }, "topic created")
local part
for q = 0, 3 do
  local holds = false
  for _, id in ipairs(lab.partition("t", q).replicas) do holds = holds or id == lab.controller() end
  if not holds then part = q end
end
local all = lab.producer{ acks = "all" }
local one = lab.producer{ acks = 1 }
lab.check(all:send_many("t", 10, part).acked == 10, "10 records acked by the whole ISR")
local s = lab.partition("t", part)
local old = s.leader
for _, id in ipairs(s.replicas) do
  if id ~= old then lab.link{ from = id, to = old, drop = 1.0 } end
end
lab.run(2000)      -- the parked fetches come back empty; new ones are lost
lab.check(one:send_many("t", 5, part).acked == 5, "5 records acked by the leader alone (acks=1)")
s = lab.partition("t", part)
lab.check(s.leo[old] == 15, "the leader's log ends at 15: " .. tostring(s.leo[old]))
lab.check(s.hw == 10, "the HW stays at 10: the followers have not fetched them")
lab.kill(old)
lab.heal()
local moved = lab.run_until(function()
  local l = lab.partition("t", part).leader
  return l ~= nil and l ~= old
end, 30000)
s = lab.partition("t", part)
lab.check(moved and s.leader_epoch == 1, "after the session expired an in-sync follower leads, epoch 1")
lab.check(all:send_many("t", 3, part).acked == 3, "3 new records in epoch 1")
lab.restart(old)
lab.check(lab.converge(60000), "the old leader rejoins and every replica converges")
s = lab.partition("t", part)
lab.check(s.leo[old] == 13, ("the old leader cut its 5 unreplicated records and took the 3 new ones: %d"):format(s.leo[old]))
local c = lab.consumer{}
local recs = c:read("t", part, 10, 10)
lab.check(recs and #recs == 3, "offsets 10..12 now hold the epoch-1 records")
local a = lab.audit()
lab.check(a.lost == 5, "the audit counts the 5 acks=1 records lost: " .. a.lost)
local only1 = true
for _, r in ipairs(a.lost_records) do only1 = only1 and r.acks == "1" end
lab.check(only1, "every lost record was acks=1; no acks=all record was lost")
