-- Kill the leader again and again. Each time the survivors elect the
-- highest remaining id (their logs are equal), in a new epoch one above the
-- last, until fewer than a quorum are left: then nobody leads or serves.
lab.cluster{ zookeepers = 5, seed = 3 }
local function serving() return lab.ensemble().serving end
lab.check(lab.run_until(serving, 30000), "5 servers elect a leader")
local e = lab.ensemble()
lab.check(e.leader == "zk5" and e.epoch == 1, "zk5 leads epoch 1")

local expect = { "zk4", "zk3" }
for round, want in ipairs(expect) do
  local old = lab.ensemble()
  lab.kill(old.leader)
  local ok = lab.run_until(function()
    local now = lab.ensemble()
    return now.serving and now.leader ~= old.leader
  end, 30000)
  local now = lab.ensemble()
  lab.check(ok, "after killing " .. old.leader .. ", a new leader serves")
  lab.check(now.leader == want, "the highest survivor " .. want .. " leads (got " .. tostring(now.leader) .. ")")
  lab.check(now.epoch == old.epoch + 1,
            "election " .. (round + 1) .. " bumps the epoch to " .. (old.epoch + 1) .. " (got " .. now.epoch .. ")")
end

-- 2 of 5 left: below the quorum of 3
local last = lab.ensemble().leader
lab.kill(last)
lab.run(20000)
local e2 = lab.ensemble()
lab.check(e2.up == 2, "2 servers are up")
lab.check(not e2.serving, "without a quorum the ensemble does not serve")
lab.check(e2.leader == nil, "without a quorum nobody leads")
for _, s in ipairs(e2.servers) do
  if s.up then lab.check(s.state == "LOOKING", s.name .. " is LOOKING (got " .. s.state .. ")") end
end
-- a client sees CONNECTIONLOSS
local c = lab.zk_session{ connect = { "zk1", "zk2" }, timeout_ms = 6000 }
local v, err = c:get("/")
lab.check(v == nil and err == "CONNECTIONLOSS", "a read without a quorum gets CONNECTIONLOSS (got " .. tostring(err) .. ")")

-- bring one back: 3 of 5 is a quorum again
lab.restart("zk3")
lab.check(lab.run_until(serving, 60000), "with zk3 back, 3 of 5 form a quorum and serve")
