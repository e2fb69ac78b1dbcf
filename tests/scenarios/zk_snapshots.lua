-- Snapshots and purged logs (snapCount): with snapCount = 10 every server
-- snapshots every few writes and keeps only the last 500 txns of its log.
-- zk1 misses 700 writes, so no log holds what it lacks: it must come back
-- through a SNAP sync, and then restart from the snapshot it received.
local function serving() return lab.ensemble().serving end
lab.cluster{ zookeepers = 3, seed = 11, config = { snapCount = 10 } }
lab.check(lab.run_until(serving, 30000), "3 servers serve")
lab.kill("zk1")
lab.check(lab.run_until(serving, 30000), "zk2 and zk3 serve without zk1")

local s = lab.zk_session{ connect = { "zk2", "zk3" }, timeout_ms = 6000 }
local ok = 0
for i = 0, 699 do
    if s:create("/w" .. i, "v" .. i) == "/w" .. i then ok = ok + 1 end
end
lab.check(ok == 700, "700 writes commit without zk1 (got " .. ok .. ")")
s:close()

local function read_on_zk1(path)
    local r = lab.zk_session{ connect = { "zk1" }, timeout_ms = 6000 }
    local data, err = r:get(path)
    r:close()
    return data or err
end

lab.restart("zk1")
lab.run(3000)
lab.check(read_on_zk1("/w0") == "v0", "zk1 caught up on the first write (from a snapshot)")
lab.check(read_on_zk1("/w699") == "v699", "and on the last")

lab.kill("zk1")
lab.run(1000)
lab.restart("zk1")
lab.run(3000)
lab.check(read_on_zk1("/w0") == "v0", "zk1 restarts from its own snapshot")
