-- The ISR rule of Kafka 2.8 (Partition.isFollowerOutOfSync): a follower
-- is out of sync only when its log end differs from the leader's AND it
-- has not caught up for replica.lag.time.max.ms. A caught-up follower cut
-- off from its leader stays in the ISR while nothing is written, however
-- long; once the leader's log grows, the next check (every 15 s) drops it.
lab.cluster{ brokers = 4, zookeepers = 3, seed = 17 }
lab.run_until(function()
  local n = 0
  for _, b in ipairs(lab.brokers()) do if b.registered then n = n + 1 end end
  return n == 4
end, 30000)
lab.check(lab.create_topic{ name = "i", partitions = 4, replication_factor = 3 }, "topic created")
-- a partition whose replicas do not include the controller
local part
for q = 0, 3 do
  local holds = false
  for _, id in ipairs(lab.partition("i", q).replicas) do holds = holds or id == lab.controller() end
  if not holds then part = q end
end
local s = lab.partition("i", part)
local leader = s.leader
local idle
for _, id in ipairs(s.replicas) do if id ~= leader then idle = id end end
local p1 = lab.producer{ acks = 1 }
lab.check(p1:send_many("i", 10, part).acked == 10, "10 records written")
lab.check(lab.converge(30000), "every replica has them")
local function in_isr(id)
  for _, x in ipairs(lab.partition("i", part).isr) do if x == id then return true end end
  return false
end
-- the follower can no longer fetch; nothing is written
lab.link{ from = idle, to = leader, drop = 1.0 }
lab.run(90000)
lab.check(in_isr(idle), ("90 s without a fetch, follower %d is still in the ISR: "
  .. "its log end equals the leader's"):format(idle))
-- the leader's log grows: now it is behind, and has been for 90 s
local t0 = lab.now()
p1:send_many("i", 1, part)
local out = lab.run_until(function() return not in_isr(idle) end, 20000)
local took = lab.now() - t0
lab.check(out and took <= 16000,
  ("one record later it left the ISR at the next check, %.1f s after the write"):format(took / 1000))
lab.heal()
lab.check(lab.run_until(function() return in_isr(idle) end, 45000), "healed, it rejoins")
lab.check(lab.converge(30000), "replicas converge")
