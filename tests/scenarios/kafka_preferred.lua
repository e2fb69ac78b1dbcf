-- Preferred replica election and the automatic leader rebalance: after a
-- broker comes back its partitions stay led elsewhere until an election
-- (lab.elect_leaders) or the rebalance check moves them to the preferred
-- (first) replica.
local function ready(n)
  return lab.run_until(function()
    local k = 0
    for _, b in ipairs(lab.brokers()) do if b.registered then k = k + 1 end end
    return k == n
  end, 30000)
end
local function preferred_led(topic)
  local n, total = 0, 0
  for _, s in ipairs(lab.topic(topic)) do
    total = total + 1
    if s.leader == s.replicas[1] then n = n + 1 end
  end
  return n, total
end

-- by hand, rebalance off
lab.cluster{ brokers = 3, zookeepers = 3, seed = 16, config = { ["auto.leader.rebalance.enable"] = false } }
ready(3)
lab.check(lab.create_topic{ name = "p", partitions = 6, replication_factor = 3 }, "topic created")
local n, total = preferred_led("p")
lab.check(n == total, "every partition starts on its preferred leader")
local ok, err = lab.elect_leaders("p")
lab.check(ok == nil and err == "ELECTION_NOT_NEEDED", "nothing to elect: " .. tostring(err))
lab.stop(102)
lab.run(1000)
lab.restart(102)
ready(3)
lab.run(5000)
n = preferred_led("p")
lab.check(n < total, ("after 102 bounced, %d of %d partitions are led by their preferred replica"):format(n, total))
local before = 0
for _, b in ipairs(lab.brokers()) do if b.id == 102 then before = b.leaders end end
lab.check(before == 0, "102 leads nothing")
lab.check(lab.converge(60000), "102 caught up and is back in every ISR")
ok, err = lab.elect_leaders("p")
lab.check(ok, "preferred replica election: " .. tostring(err))
lab.run(2000)
n = preferred_led("p")
lab.check(n == total, "every partition back on its preferred leader")
-- a preferred replica that is down: KafkaController.processReplicaLeaderElection
-- answers PREFERRED_LEADER_NOT_AVAILABLE, not ELECTION_NOT_NEEDED
lab.kill(102)
lab.check(lab.run_until(function() return (preferred_led("p")) < total end, 30000),
          "102 crashed; once its session expired its partitions moved")
ok, err = lab.elect_leaders("p")
lab.check(ok == nil and err == "PREFERRED_LEADER_NOT_AVAILABLE",
          "electing the preferred leaders with 102 down: " .. tostring(err))
lab.restart(102)
ready(3)

-- automatically: the rebalance check every 10 s, 10% imbalance
lab.cluster{ brokers = 3, zookeepers = 3, seed = 16,
             config = { ["leader.imbalance.check.interval.seconds"] = 10 } }
ready(3)
lab.check(lab.create_topic{ name = "p", partitions = 6, replication_factor = 3 }, "topic created")
lab.stop(103)
lab.run(1000)
lab.restart(103)
ready(3)
lab.check(lab.converge(60000), "103 caught up")
n = preferred_led("p")
lab.check(n < total, "right after, some partitions are off their preferred leader")
local t0 = lab.now()
local back = lab.run_until(function() return (preferred_led("p")) == total end, 30000)
lab.check(back, ("the automatic rebalance moved them back within %d ms"):format(lab.now() - t0))
lab.check(lab.converge(30000), "replicas converge")
