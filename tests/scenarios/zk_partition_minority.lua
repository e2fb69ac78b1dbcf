-- A partition that leaves the leader in a minority: zk5 (leader) and zk4
-- are cut off from zk1..zk3. The minority stops serving (its client sees
-- CONNECTIONLOSS); the majority elects a new leader in a new epoch. After
-- healing, the old leader rejoins as a follower.
local function serving() return lab.ensemble().serving end
lab.cluster{ zookeepers = 5, seed = 9 }
lab.check(lab.run_until(serving, 30000), "5 servers serve")
lab.check(lab.ensemble().leader == "zk5", "zk5 leads")

local s = lab.zk_session{ connect = { "zk5" }, timeout_ms = 20000 }
lab.check(s:create("/before", "x") == "/before", "a write before the split")

lab.split({ "zk4", "zk5", s:name() }, { "zk1", "zk2", "zk3" })
local ok = lab.run_until(function()
  local e = lab.ensemble()
  return e.serving and e.leader == "zk3"
end, 60000)
lab.check(ok, "the majority elects zk3")
lab.check(lab.ensemble().epoch == 2, "in epoch 2 (got " .. lab.ensemble().epoch .. ")")
lab.check(lab.run_until(function()
  local sv = lab.ensemble().servers
  return sv[4].state == "LOOKING" and sv[5].state == "LOOKING"
end, 30000), "the minority zk4 and zk5 go LOOKING (they lost the quorum)")
for _, sv in ipairs(lab.ensemble().servers) do
  if sv.name == "zk4" or sv.name == "zk5" then
    lab.check(not sv.serving, sv.name .. " serves no client")
  end
end
local v, err = s:get("/before")
lab.check(v == nil and err == "CONNECTIONLOSS", "the minority's client gets CONNECTIONLOSS (got " .. tostring(v or err) .. ")")

local m = lab.zk_session{ connect = { "zk1", "zk2", "zk3" }, timeout_ms = 6000 }
lab.check(m:set("/before", "y") ~= nil, "the majority still takes writes")

lab.heal()
lab.check(lab.run_until(function()
  local sv = lab.ensemble().servers
  return sv[5].state == "FOLLOWING" and sv[4].state == "FOLLOWING"
end, 60000), "after healing zk4 and zk5 follow zk3")
lab.check(lab.ensemble().leader == "zk3", "zk3 still leads")
