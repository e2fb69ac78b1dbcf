-- Runs the ensemble for the four-letter-word and bad-input checks
-- (serve.py); isolates zk1 when the client asks, so it can see a server
-- without a quorum answer "not currently serving requests".
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
local go = wait_for(s, "/isolate-zk1", 90000)
lab.check(go ~= nil, "the real client asked for zk1's isolation")
if not go then return end
lab.isolate("zk1")
wait_for(s, "/done", 40000)
