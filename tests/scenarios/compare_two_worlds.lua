-- lab.compare: two worlds side by side from one script. They share one
-- clock, every fault reaches the node of the same name in both (the
-- cluster's twin), reports read the left one and lab.on the right one.
-- Three servers against five, two servers crashed in both: the quorum
-- rule (a strict majority, floor(n/2)+1) leaves the first without a
-- quorum and the second serving.
lab.say("three servers or five")
lab.compare{ left = { zookeepers = 3, brokers = 2 }, right = { zookeepers = 5, seed = 7 },
             labels = { { en = "3 servers", ko = "서버 3대" }, "5 servers" } }
lab.run(3000)
local function right(f) return lab.on("right", f) end
lab.check(lab.ensemble().size == 3 and right(function() return lab.ensemble().size end) == 5,
          "the left world has 3 servers, the right one 5")
lab.check(#lab.brokers() == 2 and not pcall(right, lab.brokers),
          "each world has its own brokers (2, and none on the right)")
lab.check(lab.now() == 3000 and right(lab.now) == 3000, "one clock: both at 3000 ms")

lab.say("the same faults in both")
lab.kill("zk1"); lab.kill("zk2")
lab.run(6000)
local function states(side)
    return lab.on(side, function()
        local e = lab.ensemble()
        return e.servers[1].state .. "," .. e.servers[2].state, e.serving
    end)
end
local ls, lserving = states("left")
local rs, rserving = states("right")
lab.check(ls == "DOWN,DOWN" and rs == "DOWN,DOWN", "zk1 and zk2 crashed in both worlds")
lab.check(not lserving, "3 servers less 2: no quorum, nobody serves")
lab.check(rserving, "5 servers less 2: a quorum of 3 still serves")

lab.say("a node only the right world has")
right(function() lab.kill("zk5") end)
lab.run(3000)
lab.check(right(function() return lab.ensemble().servers[5].state end) == "DOWN",
          "zk5 crashed in the right world")
lab.check(not right(function() return lab.ensemble().serving end),
          "5 servers less 3: no quorum either")
lab.restart("zk1")
lab.run(8000)
lab.check(lab.ensemble().serving, "zk1 back: the left world serves again (2 of 3)")
lab.check(right(function() return lab.ensemble().serving end),
          "zk1 back: the right world serves again (3 of 5)")

lab.say("lab.on's limits")
lab.check(not pcall(lab.on, "middle", function() end), "lab.on names left or right")
lab.check(not pcall(right, function() return right(lab.now) end), "lab.on does not nest")
lab.check(not pcall(right, function() lab.cluster{ zookeepers = 3 } end),
          "no new world inside lab.on")
lab.cluster{ zookeepers = 3 }
lab.check(not pcall(lab.on, "right", lab.now), "after lab.cluster there is one world again")
