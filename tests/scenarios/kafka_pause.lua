-- A broker paused longer than zookeeper.session.timeout.ms (a long GC
-- pause): its session expires, the controller moves its leaderships and
-- drops it from the ISRs; when it wakes up it learns its session is gone,
-- registers again, follows the new leaders, catches up and rejoins.
lab.cluster{ brokers = 3, zookeepers = 3, seed = 13 }
lab.run_until(function()
  local n = 0
  for _, b in ipairs(lab.brokers()) do if b.registered then n = n + 1 end end
  return n == 3
end, 30000)
lab.check(lab.create_topic{ name = "g", partitions = 3, replication_factor = 3,
                            config = { ["min.insync.replicas"] = 2 } }, "topic created")
local p = lab.producer{ bootstrap = { 101, 102, 103 }, acks = "all" }
lab.check(p:send_many("g", 30).acked == 30, "30 records acked")
local victim = lab.partition("g", 0).leader
local epoch = lab.partition("g", 0).leader_epoch
lab.pause(victim, 25000)
lab.run(10000)
lab.check(lab.partition("g", 0).leader == victim, "10 s into the pause the paused broker still leads")
lab.run(12000)
local s = lab.partition("g", 0)
lab.check(s.leader ~= nil and s.leader ~= victim, "past the session timeout another broker leads: " .. tostring(s.leader))
lab.check(s.leader_epoch > epoch, "with a higher leader epoch")
local inisr = false
for _, id in ipairs(s.isr) do inisr = inisr or id == victim end
lab.check(not inisr, "and the paused broker left the ISR")
local r = p:send_many("g", 30)
lab.check(r.acked == 30, "writes go on with two in-sync replicas")
lab.run(5000)      -- the pause ends
local back = lab.run_until(function()
  for _, b in ipairs(lab.brokers()) do if b.id == victim then return b.registered end end
end, 30000)
lab.check(back, "the woken broker registered again")
lab.check(lab.converge(60000), "it catches up and rejoins every ISR")
lab.check(lab.audit().lost == 0, "no acknowledged record lost")
