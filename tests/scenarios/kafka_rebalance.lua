-- The automatic leader rebalance as KafkaController does it
-- (onControllerFailover, checkAndTriggerAutoLeaderRebalance): the first
-- check runs 5 s after a controller takes over, then every
-- leader.imbalance.check.interval.seconds (300); only the partitions whose
-- preferred leader is a broker over leader.imbalance.per.broker.percentage
-- (10) move. A broker under the ratio keeps its partitions where they are.
lab.cluster{ brokers = 4, zookeepers = 3, seed = 20 }
lab.check(lab.wait_brokers(), "four brokers registered")
lab.check(lab.create_topic{ name = "big", partitions = 40, replication_factor = 3 }, "big: 40 partitions")
lab.check(lab.create_topic{ name = "one", partitions = 1, replication_factor = 3 }, "one: 1 partition")
local ctrl = lab.controller()
local b = lab.partition("one", 0).replicas[1]       -- one-0 prefers b
lab.check(b ~= ctrl, ("controller %d; b = %d prefers one-0"):format(ctrl, b))
local function off(broker)
  local n = 0
  for _, t in ipairs({ "big", "one" }) do
    for _, s in ipairs(lab.topic(t)) do
      if s.replicas[1] == broker and s.leader ~= broker then n = n + 1 end
    end
  end
  return n
end
local function bounce(broker)
  lab.stop(broker)
  lab.run(1000)
  lab.restart(broker)
  lab.check(lab.wait_brokers(), ("%d back"):format(broker))
  lab.check(lab.converge(60000), ("%d caught up"):format(broker))
end
lab.run(10000)      -- the first check (5 s after the controller started) is over
-- b leads its 10 partitions of big again, not one-0: 1 of 11 off (9 %)
bounce(b)
lab.check(lab.elect_leaders("big"), "big's partitions back on their preferred leaders")
lab.run(1000)
lab.check(off(b) == 1, ("b = %d: only one-0 is led elsewhere (%d of its preferred)"):format(b, off(b)))
-- a: neither the controller, nor b, nor one-0's leader now
local a
for _, x in ipairs({ 101, 102, 103, 104 }) do
  if x ~= ctrl and x ~= b and x ~= lab.partition("one", 0).leader then a = x end
end
-- a loses all of its preferred partitions: 100 % off
bounce(a)
lab.check(off(a) >= 10, ("a = %d: %d of its preferred partitions led elsewhere"):format(a, off(a)))
lab.run(20000)
lab.check(off(a) >= 10, "the next check is 300 s after the first: nothing moved yet")
-- a new controller: its first check comes 5 s after it takes over
local zk = lab.zk_session{ connect = { "zk1", "zk2", "zk3" } }
lab.check(zk:delete("/controller"), "/controller deleted: the brokers elect a new controller")
local t0 = lab.now()
local back = lab.run_until(function() return off(a) == 0 end, 15000)
lab.check(back, ("a's partitions moved back %.1f s after the controller change"):format((lab.now() - t0) / 1000))
lab.run(2000)
lab.check(off(b) == 1, "b is under the 10 % ratio: one-0 stays where it is")
lab.check(lab.partition("one", 0).leader ~= b, "one-0 is still led by another broker")
