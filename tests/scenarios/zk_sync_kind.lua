-- How a follower is brought up to date, as LearnerHandler.syncFollower
-- chooses and lab.ensemble() reports in each server's `sync`: LOAD at
-- start (its own snapshot and log), then DIFF when its last zxid is within
-- the leader's recent log (committedLog, 500 txns), SNAP when it is
-- further behind, TRUNC when it holds a txn the new leader never had (an
-- old leader's proposal that no follower logged).
local function srv(name)
  for _, s in ipairs(lab.ensemble().servers) do if s.name == name then return s end end
end
local function following(name)
  return lab.run_until(function() local z = srv(name); return z.state == "FOLLOWING" and z.sync ~= "LOAD" end, 30000)
end
lab.cluster{ zookeepers = 3, seed = 4 }
lab.check(lab.run_until(function() return lab.ensemble().serving end, 20000), "the ensemble serves")
local leader = lab.ensemble().leader
local fs = {}
for _, z in ipairs(lab.ensemble().servers) do
  if z.name ~= leader then fs[#fs + 1] = z.name end
end
local f, o = fs[1], fs[2]       -- f goes down and comes back; o stays
lab.check(srv(leader).sync == "LOAD", "the leader's tree came from its own disk: LOAD (got " .. tostring(srv(leader).sync) .. ")")

local s = lab.zk_session{ connect = { o }, timeout_ms = 6000 }
s:create("/k", "0")
lab.kill(f)
for i = 1, 3 do s:set("/k", tostring(i)) end
lab.restart(f)
lab.check(following(f), f .. " follows again")
lab.check(srv(f).sync == "DIFF", "3 txns behind: DIFF (got " .. tostring(srv(f).sync) .. ")")

lab.kill(f)
for i = 1, 600 do s:set("/k", "w" .. i) end
lab.restart(f)
lab.check(following(f), f .. " follows again")
lab.check(srv(f).sync == "SNAP", "600 txns behind, past the 500 of committedLog: SNAP (got " .. tostring(srv(f).sync) .. ")")
s:close()

local c = lab.zk_session{ connect = { leader }, timeout_ms = 40000 }
lab.run_until(function() return c:state() == "CONNECTED" end, 10000)
lab.split({ leader, c:name() }, { f, o })
local ok, err = c:set("/k", "never", -1)
lab.check(ok == nil and err == "CONNECTIONLOSS", "the cut-off leader's write is not acknowledged (" .. tostring(err) .. ")")
lab.check(lab.run_until(function() local e = lab.ensemble(); return e.serving and e.leader ~= leader end, 30000),
          "the others elect a new leader")
lab.heal()
lab.check(following(leader), "the old leader follows")
lab.check(srv(leader).sync == "TRUNC", "it held a txn nobody else had: TRUNC (got " .. tostring(srv(leader).sync) .. ")")
c:close()
local r = lab.zk_session{ connect = { leader }, timeout_ms = 6000 }
lab.check(r:get("/k") == "w600", "the unacknowledged write is gone from it")
