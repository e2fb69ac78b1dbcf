-- Read-only mode (config.readonlymode, ZooKeeper's readonlymode.enabled):
-- zk1 and zk2 of five split off as a minority go LOOKING, and after
-- max(2 s, tickTime) run ReadOnlyZooKeeperServer (QuorumPeer.run). Debian's
-- cli_mt -r (ZOO_READONLY: the ConnectRequest's readOnly) connects to zk1,
-- reads, and gets NOTREADONLY for its writes; a cli_mt without -r is
-- refused. Healed, zk1 follows again and closes its read-only connections
-- (ReadOnlyZooKeeperServer.shutdown); cli_mt reconnects read-write with a
-- new session and writes /rw.
local function zk1() return lab.ensemble().servers[1] end
local function wait_for(s, path, ms)
    for _ = 1, ms // 100 do
        local d = s:get(path)
        if d then return d end
        lab.run(100)
    end
    return nil
end
lab.cluster{ zookeepers = 5, config = { readonlymode = 1 } }
local s = lab.zk_session{ connect = { "zk3", "zk4", "zk5" } }
s:create("/ro", "x")
lab.split({ "zk1", "zk2" }, { "zk3", "zk4", "zk5" })
lab.check(lab.run_until(function() return zk1().readonly end, 40000),
          "zk1, in a minority, started its read-only server")
lab.check(zk1().state == "LOOKING" and not zk1().serving, "zk1 is LOOKING, not serving")
lab.check(lab.run_until(function() return zk1().connections > 0 end, 40000),
          "the read-only client connected to zk1")
lab.run(8000)                       -- its reads and writes; the other one refused
lab.heal()
lab.check(lab.run_until(function() return zk1().serving end, 30000), "zk1 serves again")
lab.check(not zk1().readonly, "its read-only server stopped")
lab.check(wait_for(s, "/rw", 40000) ~= nil, "cli_mt reconnected read-write and wrote /rw")
lab.check(s:exists("/nope") == nil, "its write in read-only mode was not applied")
lab.check(s:get("/ro") == "x", "nor its setData")
