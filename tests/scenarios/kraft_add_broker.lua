-- KRaft mode: lab.add_broker (and the dashboard's :add-broker) in a world
-- that began as the controller quorum alone. The new broker is a Raft
-- observer of __cluster_metadata and registers with the active controller
-- (BrokerLifecycleManager: BrokerRegistrationRequest, then heartbeats),
-- fenced until its heartbeat reports the offset of its own registration
-- (BrokerHeartbeatManager.calculateNextBrokerState), never a ZooKeeper
-- client (the first broker of a KRaft world used to dial a ZooKeeper
-- ensemble that does not exist and abort in zk_client.c).
lab.cluster{ mode = "kraft", controllers = 3, seed = 5 }
lab.run(3000)
lab.check(lab.add_broker{ id = 101 } == 101, "broker 101 added")
lab.check(lab.add_broker{} == 102, "the next id is 102")
lab.run(8000)
local reg, unfenced = {}, {}
for _, r in ipairs(lab.metadata_log(50)) do
    local id = tonumber(r.text:match("brokerId=(%d+)") or r.text:match("%(id=(%d+)"))
    if r.name == "RegisterBrokerRecord" then
        lab.check(r.text:find("fenced=true") ~= nil, "registered fenced: " .. r.text)
        reg[id] = true
    end
    if r.name == "UnfenceBrokerRecord" then unfenced[id] = true end
end
for _, id in ipairs{ 101, 102 } do
    lab.check(reg[id], "broker " .. id .. " registered with the active controller")
    lab.check(unfenced[id], "broker " .. id .. " unfenced once caught up")
end
lab.check(lab.create_topic{ name = "t", partitions = 2, replication_factor = 2 }, "created")
lab.run(2000)
lab.check(lab.partition("t", 0).leader > 0, "the new brokers lead partitions")
