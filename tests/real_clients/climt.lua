-- Debian's cli_mt (zookeeper-bin: the C client library's own shell,
-- zookeeper-client-c/src/cli.c) creates, lists, reads and watches, then the
-- lab kills its server: the C client (zookeeper.c) reconnects to the next
-- server of its connect string with the same session and sends SetWatches,
-- so both of its watches fire on the lab's create of /climt/w there. When
-- it quits, its closeSession takes its ephemeral znode away.
local function wait_for(s, path, ms)
    for _ = 1, ms // 100 do
        local d, st = s:get(path)
        if d then return d, st end
        lab.run(100)
    end
    return nil
end
lab.cluster{ zookeepers = 3 }
local s = lab.zk_session{ connect = { "zk3" } }
local d = wait_for(s, "/climt/ready", 60000)
lab.check(d ~= nil, "cli_mt created, listed, read and set its watches")
if not d then return end
local _, st = s:get("/climt/eph")
lab.check(st ~= nil and st.ephemeral_owner ~= 0, "its /climt/eph is ephemeral")
if not st then return end
-- the session was made on the server it first connected to (the id's top byte)
lab.kill("zk" .. (st.ephemeral_owner >> 56))
lab.run(5000)                       -- it reconnects to another one
s:create("/climt/w", "1")
lab.run(2000)
lab.check(s:exists("/climt/eph") ~= nil, "its session (and ephemeral) outlived the kill")
-- cli_mt quits: closeSession deletes the ephemeral at once
local gone = false
for _ = 1, 200 do
    if not s:exists("/climt/eph") then gone = true; break end
    lab.run(100)
end
lab.check(gone, "its quit (closeSession) removed /climt/eph")
