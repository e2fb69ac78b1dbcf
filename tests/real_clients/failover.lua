-- A real client (kazoo: failover.py) keeps its session and its ephemeral
-- znode when the lab kills the server it is connected to: ClientCnxn moves
-- the session to another server of its connect string.
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
local s = lab.zk_session{ connect = { "zk1", "zk2", "zk3" } }
local where = wait_for(s, "/where", 60000)
lab.check(where ~= nil, "the real client connected and said which server it uses")
if not where then return end
lab.kill(where)
local moved = wait_for(s, "/moved", 30000)
lab.check(moved ~= nil, "the real client reconnected elsewhere and said so")
lab.check(s:exists("/eph") ~= nil, "its ephemeral znode stayed")
lab.run(1000)
