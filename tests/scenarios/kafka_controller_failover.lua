-- Controller failover: a crashed controller is replaced only when its
-- session expires; the new one bumps /controller_epoch, and a cleanly
-- stopped controller hands over at once.
lab.cluster{ brokers = 4, zookeepers = 3, seed = 12 }
lab.run_until(function() return lab.controller() ~= nil end, 30000)
lab.run(3000)
local zk = lab.zk_session{ connect = { "zk1", "zk2", "zk3" }, timeout_ms = 30000 }
local function epoch() return tonumber((zk:get("/controller_epoch"))) end
-- KafkaZkClient makes /controller_epoch with 0 at version 0 and sets it
-- conditionally at each election: its version follows the epoch
local function epoch_version() return select(2, zk:get("/controller_epoch")).version end
local first, e1 = lab.controller(), epoch()
lab.check(e1 == 1, "the first controller has epoch 1: " .. tostring(e1))
lab.check(epoch_version() == e1, "/controller_epoch's znode version is 1 too: " .. epoch_version())
lab.check((zk:get("/controller")):find('"brokerid":' .. first, 1, true) ~= nil, "/controller names it")
lab.check(lab.create_topic{ name = "c", partitions = 4, replication_factor = 3 }, "topic created")

lab.kill(first)
lab.run(10000)
lab.check(lab.controller() == nil, "10 s after the crash nobody is controller yet (its session lives)")
lab.check(zk:exists("/controller"), "/controller is still held by the dead broker's session")
lab.run_until(function() return lab.controller() ~= nil end, 20000)
lab.run(1000)   -- the new controller reads the registry, then elects
local second = lab.controller()
lab.check(second ~= nil and second ~= first, "a new controller after the session expired: " .. tostring(second))
lab.check(epoch() == e1 + 1, "the controller epoch went up by one")
for p = 0, 3 do
  local s = lab.partition("c", p)
  lab.check(s.leader ~= nil and s.leader ~= first, ("c-%d led by a live broker (%s)"):format(p, tostring(s.leader)))
end
lab.check(lab.create_topic{ name = "d", partitions = 2, replication_factor = 3 }, "the new controller creates topics")

local t0 = lab.now()
lab.stop(second)
lab.run_until(function() local c = lab.controller(); return c ~= nil and c ~= second end, 10000)
lab.check(lab.now() - t0 < 2000, ("a stopped controller is replaced at once (%d ms)"):format(lab.now() - t0))
lab.check(epoch() == e1 + 2, "and the epoch went up again")
lab.check(epoch_version() == epoch(), ("the znode version follows: %d"):format(epoch_version()))
lab.restart(first)
lab.restart(second)
lab.check(lab.converge(60000), "all replicas converge once both are back")
