-- lab.controller() in KRaft mode: the active controller, the controller
-- process whose QuorumController is active (it leads the Raft quorum and
-- has applied the log up to its epoch: QuorumController.claim), by its
-- name, so lab.kill(lab.controller()) crashes the controller in either
-- mode. It was nil in KRaft mode, where no broker is controller.
lab.cluster{ mode = "kraft", controllers = 3, brokers = 3, seed = 5 }
lab.check(lab.run_until(function() return lab.controller() ~= nil end, 5000),
          "an active controller within 5 s")
local first = lab.controller()
lab.check(type(first) == "string" and first == lab.quorum().leader,
          "lab.controller() names the active controller: " .. tostring(first))
lab.kill(lab.controller())
lab.check(lab.controller() == nil, "none while the quorum elects: " .. tostring(lab.controller()))
lab.check(lab.run_until(function() local c = lab.controller() return c ~= nil and c ~= first end, 8000),
          "another one takes over after the fetch timeout")
lab.check(lab.controller() == lab.quorum().leader, "the new Raft leader: " .. tostring(lab.controller()))
-- ZooKeeper mode keeps the broker id
lab.cluster{ zookeepers = 3, brokers = 3, seed = 5 }
lab.check(lab.run_until(function() return lab.controller() ~= nil end, 10000), "a controller broker")
lab.check(math.type(lab.controller()) == "integer" and lab.controller() >= 101,
          "ZooKeeper mode: the controller broker's id " .. tostring(lab.controller()))
