-- Debian's zkCli.sh (the Java client, ClientCnxn) sets watches, then the
-- lab kills its server: it reconnects to the other server of its connect
-- string and sends SetWatches there (ClientCnxn.primeConnection), so the
-- lab's create of /dir/w afterwards still reaches both of its watches.
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
s:create("/dir", "")
local d, st = wait_for(s, "/zeph", 60000)
lab.check(d ~= nil, "zkCli created its ephemeral znode")
if not d then return end
-- the session was made on the server it first connected to (the id's top byte)
local sid = st.ephemeral_owner >> 56
lab.run(3000)                       -- zkCli sets its watches meanwhile
lab.kill("zk" .. sid)
lab.run(4000)                       -- it reconnects to the other one
s:create("/dir/w", "1")
lab.run(4000)
lab.check(s:exists("/zeph") ~= nil, "its session (and ephemeral) outlived the kill")
