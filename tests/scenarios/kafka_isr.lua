-- ISR shrink and expand: a follower that cannot fetch is dropped from the
-- ISR once it has lagged replica.lag.time.max.ms (30 s; the leader checks
-- every 15 s), and rejoins once it has caught up to the HW.
lab.cluster{ brokers = 4, zookeepers = 3, seed = 17 }
lab.run_until(function()
  local n = 0
  for _, b in ipairs(lab.brokers()) do if b.registered then n = n + 1 end end
  return n == 4
end, 30000)
lab.check(lab.create_topic{ name = "i", partitions = 4, replication_factor = 3 }, "topic created")
-- a partition whose replicas do not include the controller, so the cut
-- leaves the controller's own links alone
local part
for q = 0, 3 do
  local holds = false
  for _, id in ipairs(lab.partition("i", q).replicas) do holds = holds or id == lab.controller() end
  if not holds then part = q end
end
local s = lab.partition("i", part)
local leader = s.leader
local lagger
for _, id in ipairs(s.replicas) do if id ~= leader then lagger = id end end
lab.check(#s.isr == 3, "all three replicas in sync")
local p = lab.producer{ acks = "all" }
local p1 = lab.producer{ acks = 1 }
lab.link{ from = lagger, to = leader, drop = 1.0 }
local t0 = lab.now()
p1:send_many("i", 20, part)
local function in_isr(id)
  for _, x in ipairs(lab.partition("i", part).isr) do if x == id then return true end end
  return false
end
lab.run(20000)
lab.check(in_isr(lagger), "20 s behind, the follower is still in the ISR")
local shrank = lab.run_until(function() return not in_isr(lagger) end, 30000)
local took = lab.now() - t0
lab.check(shrank and took >= 30000 and took <= 47000,
          ("dropped from the ISR after %.1f s (lag limit 30 s, checked every 15 s)"):format(took / 1000))
lab.check(lab.partition("i", part).leader_epoch == s.leader_epoch, "a shrink keeps the leader epoch")
local r = p:send_many("i", 20, part)
lab.check(r.acked == 20, "acks=all goes on with the two in-sync replicas")
local lp = lab.partition("i", part)
lab.check(lp.leo[lagger] < lp.leo[leader], ("the lagging replica has %d records, the leader %d"):format(lp.leo[lagger], lp.leo[leader]))
lab.heal()
local t1 = lab.now()
-- its fetch lost in the cut is retried when it times out (30 s)
local back = lab.run_until(function() return in_isr(lagger) end, 45000)
lab.check(back, ("it rejoined the ISR %.1f s after the link healed"):format((lab.now() - t1) / 1000))
lp = lab.partition("i", part)
lab.check(lp.leo[lagger] == lp.leo[leader], "with the leader's log end")
lab.check(lab.converge(30000), "replicas converge")
