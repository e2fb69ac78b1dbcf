-- kcat (librdkafka) produces with acks=all while the lab kills the
-- partition's leader in a KRaft world (kcat_kraft_failover in
-- tests/suites/real_clients.sh), as kcat_failover.lua does in ZooKeeper
-- mode. No ZooKeeper session expires here: the active controller fences
-- the dead broker once broker.session.timeout.ms (9 s) passes without its
-- heartbeat (BrokerHeartbeatManager), and the same batch elects another
-- replica of the ISR (PartitionChangeBuilder; FenceBrokerRecord and
-- PartitionChangeRecords); the brokers learn it from the metadata log,
-- kcat's metadata refresh finds the new leader and its retries go there,
-- and no record the leader acknowledged is lost (lab.audit). Once fenced,
-- the dead broker is no longer listed (KRaftMetadataCache.getAliveBrokerNodes).
lab.cluster{ mode = "kraft", controllers = 3, brokers = 3 }
lab.run(3000)
lab.create_topic{ name = "k", partitions = 1, replication_factor = 3,
                  config = { ["min.insync.replicas"] = 2 } }
lab.run(2000)
local function leo(id) return lab.partition("k", 0).leo[id] or 0 end
local first = lab.partition("k", 0).leader
print("leader before: " .. first)
-- the client has started producing: kill its partition's leader
local started = lab.run_until(function() return leo(first) >= 200 end, 40000)
lab.check(started, "kcat produced its first 200 records to leader " .. first)
if not started then return end
local killed_at = lab.now()
lab.kill(first)
local moved = lab.run_until(function()
    local p = lab.partition("k", 0)
    return p.leader ~= nil and p.leader ~= first
end, 40000)
lab.check(moved, "another broker of the ISR leads k-0")
local now = lab.partition("k", 0).leader
print("leader after: " .. tostring(now))
print(string.format("moved after: %.1f s", (lab.now() - killed_at) / 1000))
-- every record kcat sent is acknowledged by the new leader
local all = lab.run_until(function()
    return now and (lab.partition("k", 0).hw or 0) >= 1000 and lab.audit().acked >= 1000
end, 60000)
lab.check(all, "the 1,000 records are acknowledged and committed")
lab.run(8000)                                   -- the suite's kcat -L and -C run now
local a = lab.audit()
print("audit: acked " .. a.acked .. ", lost " .. a.lost .. ", pending " .. a.pending)
lab.check(a.lost == 0, "no acknowledged record lost (lab.audit)")
