-- A real client (kazoo: expire.py) connected to zk1 only: the lab isolates
-- zk1 past the session timeout, the leader expires the session
-- (SessionTrackerImpl), and after the heal the client's reconnect is told
-- so (a ConnectResponse with timeout 0: SESSIONEXPIRED).
-- waits (bounded) for a marker znode the real client writes; its data
local function wait_for(s, path, ms)
    for _ = 1, ms // 100 do
        local d = s:get(path)
        if d then return d end
        lab.run(100)
    end
    return nil
end
lab.cluster{ zookeepers = 3 }
local s = lab.zk_session{ connect = { "zk2", "zk3" } }
local where = wait_for(s, "/where2", 60000)
lab.check(where == "zk1", "the real client connected to zk1")
if not where then return end
lab.isolate("zk1")
lab.run(12000)
lab.check(s:exists("/eph2") == nil, "the ensemble expired its session: /eph2 is gone")
lab.heal()
local told = wait_for(s, "/expired", 40000)
lab.check(told ~= nil, "the real client was told its session expired")
lab.run(1000)
