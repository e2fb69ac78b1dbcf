-- A ZooKeeper write that went through but whose answer was lost with the
-- connection. Kafka checks who holds the znode instead of trying again
-- blindly (KafkaZkClient.checkedEphemeralCreate for /brokers/ids/<id>;
-- registerControllerAndIncrementControllerEpoch checks /controller and
-- its epoch). Without that check a broker retried its registration
-- forever against its own znode (NODEEXISTS), or held /controller without
-- acting as controller: "no controller" in fuzz seeds 3058, 4957, 5832,
-- 6281.
local function servers() return lab.ensemble().servers end
local function registered(id)
  for _, b in ipairs(lab.brokers()) do if b.id == id then return b.registered end end
end

-- 1. the answer to the registration is lost
lab.cluster{ zookeepers = 1, brokers = 1, seed = 31,
             config = { ["zookeeper.session.timeout.ms"] = 6000 } }
lab.check(lab.wait_brokers(), "101 registered")
lab.stop(101)                    -- its session closed: /brokers/ids/101 gone
lab.run(1000)
local z = servers()[1].zxid
lab.restart(101)
-- zk1 makes 101's session (one transaction), then the 8 persistent paths
-- a broker makes sure of (/brokers/ids, /admin/delete_topics, ...: one
-- transaction each, existing or not); their answers are on their way
-- when the cut comes, the answer to the registration that follows is lost
lab.check(lab.run_until(function() return servers()[1].zxid >= z + 9 end, 5000),
          "101's session and paths made")
lab.link{ from = "zk1", to = 101, drop = 1.0 }
lab.run(8000)
local zk = lab.zk_session{ connect = { "zk1" } }
lab.check(zk:exists("/brokers/ids/101") and not registered(101),
          "its registration went through, the answer never reached it")
lab.heal()
lab.check(lab.run_until(function() return registered(101) end, 20000),
          "healed: 101 finds its own session holds /brokers/ids/101 and is registered")
lab.check(lab.run_until(function() return lab.controller() == 101 end, 10000), "and is the controller")

-- 2. the answer to the controller election is lost: 101's server is a
-- follower, which applies the election only when the leader's commit
-- reaches it; the cut comes the moment the leader commits
lab.cluster{ zookeepers = 3, brokers = 1, seed = 32,
             config = { ["zookeeper.session.timeout.ms"] = 6000 } }
lab.check(lab.wait_brokers(), "101 registered")
local leader = lab.ensemble().leader
zk = lab.zk_session{ connect = { leader } }
local function leader_zxid()
  for _, s in ipairs(servers()) do if s.name == leader then return s.zxid end end
end
local srv, e0
for attempt = 1, 6 do
  lab.stop(101)                  -- /controller goes with its session
  lab.run(1000)
  e0 = tonumber((zk:get("/controller_epoch")))
  local registered_again = false
  zk:watch("/brokers/ids", function() registered_again = true end, { children = true })
  lab.restart(101)
  lab.check(lab.run_until(function() return registered_again end, 10000), "101 registered again")
  srv = nil                      -- the follower 101 talks to (the script's session is on the leader)
  for _, s in ipairs(servers()) do
    if s.connections == 1 and s.name ~= leader then srv = s.name end
  end
  if srv then break end
end
lab.check(srv ~= nil, "101 talks to a follower: " .. tostring(srv))
-- its next write is the election (/controller and /controller_epoch in one multi)
z = leader_zxid()
lab.check(lab.run_until(function() return leader_zxid() > z end, 5000), "the election is committed")
lab.link{ from = srv, to = 101, drop = 1.0 }
lab.run(2000)
local data = zk:get("/controller")
lab.check(data and data:find('"brokerid":101', 1, true) and lab.controller() == nil,
          "/controller names 101, which heard no answer and does not act")
-- its client gives up on the silent server (two thirds of the session
-- timeout) and moves to another, where the election's answer is a
-- connection loss
lab.check(lab.run_until(function() return lab.controller() == 101 end, 20000),
          "101 sees /controller is its own and acts as controller")
lab.heal()
lab.check(tonumber((zk:get("/controller_epoch"))) == e0 + 1, "in the epoch its election wrote")
