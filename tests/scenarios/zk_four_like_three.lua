-- A 4-server ensemble tolerates one failure, exactly like 3 servers:
-- both survive one crash, neither survives two (4 needs 3 for a quorum).
local function serving() return lab.ensemble().serving end
for _, n in ipairs({ 3, 4 }) do
  lab.cluster{ zookeepers = n, seed = 40 + n }
  lab.check(lab.run_until(serving, 30000), n .. " servers: serving")
  lab.kill("zk1")                   -- a follower
  lab.run(15000)
  lab.check(lab.ensemble().serving, n .. " servers: still serving with one down")
  lab.kill(lab.ensemble().leader)   -- and now the leader
  lab.run(30000)
  local e = lab.ensemble()
  lab.check(not e.serving and e.leader == nil,
            n .. " servers: two down leaves " .. (n - 2) .. " of " .. n .. ", below the quorum of " .. e.quorum)
end
