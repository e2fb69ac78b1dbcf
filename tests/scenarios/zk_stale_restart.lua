-- A fresher log beats a higher server id (the FIDELITY example): in a
-- 5-server ensemble stop zk5 and zk4, write on {zk1, zk2, zk3}, stop those
-- three, then start zk4, zk5 and zk1. zk1 holds the newest transactions and
-- must lead, in epoch 4 (epochs 1: zk5, 2: zk4, 3: zk3, then 4), and the
-- write must survive.
local function serving() return lab.ensemble().serving end
lab.cluster{ zookeepers = 5, seed = 5 }
lab.check(lab.run_until(serving, 30000), "5 servers serve")
lab.kill("zk5")
lab.check(lab.run_until(function() local e = lab.ensemble() return e.serving and e.leader == "zk4" end, 30000),
          "zk4 leads after zk5 stops")
lab.kill("zk4")
lab.check(lab.run_until(function() local e = lab.ensemble() return e.serving and e.leader == "zk3" end, 30000),
          "zk3 leads after zk4 stops")
lab.check(lab.ensemble().epoch == 3, "that is epoch 3 (got " .. lab.ensemble().epoch .. ")")

local s = lab.zk_session{ connect = { "zk1", "zk2", "zk3" }, timeout_ms = 6000 }
lab.check(s:create("/fresh", "written in epoch 3") == "/fresh", "a write on {zk1, zk2, zk3} commits")
lab.run(2000)                       -- let every follower apply it
s:close()

lab.kill("zk1"); lab.kill("zk2"); lab.kill("zk3")
lab.run(1000)
lab.restart("zk4"); lab.restart("zk5"); lab.restart("zk1")
lab.check(lab.run_until(serving, 60000), "zk4, zk5 and zk1 form a quorum")
local e = lab.ensemble()
lab.check(e.leader == "zk1", "the freshest log wins: zk1 leads (got " .. tostring(e.leader) .. ")")
lab.check(e.epoch == 4, "in epoch 4 (got " .. e.epoch .. ")")

local r = lab.zk_session{ connect = { "zk4", "zk5" }, timeout_ms = 6000 }
local data, err = r:get("/fresh")
lab.check(data == "written in epoch 3", "the committed write survived (got " .. tostring(data or err) .. ")")
