-- `isolated` says what a learner reads: the node is cut off from every
-- other server of its group (ZooKeeper mode: the ensemble; KRaft: the
-- controller quorum), both ways, not "some link of it is cut". One cut
-- link, or a side of two in a split, leaves a server that still reaches a
-- peer; only a side of one is isolated. lab.status keeps "any link cut".
-- Both modes, with brokers linked to everyone (they are no server's peer).

-- names whose `isolated` is true, in order ("" for none)
local function isolated(list)
  local t = {}
  for _, s in ipairs(list) do if s.isolated then t[#t + 1] = s.name end end
  return table.concat(t, ",")
end

-- a checker of the marks of mode's servers, as members() lists them
local function marks(mode, members)
  return function(want, what)
    local got = isolated(members())
    lab.check(got == want, ("%s: %s: isolated = {%s} (got {%s})"):format(mode, what, want, got))
  end
end

-- ZooKeeper mode: 3 servers, 2 brokers
lab.cluster{ zookeepers = 3, brokers = 2, seed = 3 }
lab.check(lab.run_until(function() return lab.ensemble().serving end, 30000), "zk: the ensemble serves")
local zk = marks("zk", function() return lab.ensemble().servers end)
zk("", "nothing cut")

lab.split({ "zk1" }, { "zk2" })           -- one link, both ways
lab.run(200)
zk("", "zk1 <-> zk2 cut: each still reaches zk3")
local _, cut = lab.status("zk1")
lab.check(cut == true, "zk: lab.status says a link of zk1 is cut")
lab.heal()

lab.isolate("zk2")
lab.run(200)
zk("zk2", "zk2 isolated; zk1 and zk3 lost only their link to it")
local _, cut3 = lab.status("zk3")
lab.check(cut3 == true, "zk: lab.status('zk3') still says a link is cut")
lab.heal()

lab.split({ "zk1", "zk2", 101, 102 }, { "zk3" })   -- 2 + 1
lab.run(200)
zk("zk3", "split zk1,zk2 | zk3: the side of one")
lab.heal()

lab.split({ "zk1", 101 }, { "zk2", "zk3", 102 })   -- 1 + 2, zk1 keeps a broker
lab.run(200)
zk("zk1", "split zk1,101 | zk2,zk3,102: a broker is no peer")
lab.heal()
lab.run(200)
zk("", "healed")
local _, healed = lab.status("zk1")
lab.check(healed == false, "zk: lab.status says no link of zk1 is cut after the heal")

-- KRaft mode: 3 controllers, 2 brokers
lab.cluster{ mode = "kraft", controllers = 3, brokers = 2, seed = 3 }
lab.check(lab.run_until(function() return lab.quorum().leader end, 5000), "kraft: a leader")
local kr = marks("kraft", function() return lab.quorum().voters end)
kr("", "nothing cut")

lab.split({ "ctl1" }, { "ctl3" })
lab.run(200)
kr("", "ctl1 <-> ctl3 cut: each still reaches ctl2")
lab.heal()

lab.isolate("ctl1")
lab.run(200)
kr("ctl1", "ctl1 isolated")
lab.heal()

lab.split({ "ctl1", "ctl2" }, { "ctl3", 101, 102 })   -- 2 + 1, ctl3 with the brokers
lab.run(200)
kr("ctl3", "split ctl1,ctl2 | ctl3,101,102: the side of one")
lab.heal()
lab.run(200)
kr("", "healed")
