-- KRaft mode (issue 12): the brokers register with the active controller
-- (ClusterControlManager.registerBroker: RegisterBrokerRecord, fenced,
-- broker epoch = the record's offset) and are unfenced once their
-- heartbeats report the metadata offset of their own registration
-- (BrokerHeartbeatManager.calculateNextBrokerState); a topic is a
-- TopicRecord plus PartitionRecords placed by StripedReplicaPlacer,
-- leaders unfenced. lab.metadata_log names the records as Kafka does.
lab.cluster{ mode = "kraft", controllers = 3, brokers = 4, seed = 3 }
lab.run(8000)
local names, regs, unfenced = {}, 0, 0
for _, r in ipairs(lab.metadata_log(100)) do
    names[#names + 1] = r.name
    if r.name == "RegisterBrokerRecord" then
        regs = regs + 1
        lab.check(r.text:find("fenced=true") ~= nil, "registered fenced: " .. r.text)
        lab.check(r.text:find("brokerEpoch=" .. r.offset .. ",") ~= nil,
                  "broker epoch is the record's offset " .. r.offset)
    end
    if r.name == "UnfenceBrokerRecord" then unfenced = unfenced + 1 end
end
lab.check(regs == 4 and unfenced == 4, "4 registrations and 4 unfencings, got " ..
          regs .. " and " .. unfenced)
lab.check(lab.create_topic{ name = "t", partitions = 4, replication_factor = 3 }, "created")
lab.run(500)
local log = lab.metadata_log(5)
lab.check(log[1].name == "TopicRecord", "a TopicRecord first: " .. log[1].text)
for i = 2, 5 do lab.check(log[i].name == "PartitionRecord", log[i].text) end
-- striped: with one rack, partition k+1's replicas are partition k's
-- shifted by one broker along the sorted ring (the ZooKeeper-mode formula
-- would space the followers by a random shift)
local ring = { 101, 102, 103, 104 }
local function pos(id) for i, v in ipairs(ring) do if v == id then return i end end end
for k = 0, 2 do
    local a, b = lab.partition("t", k), lab.partition("t", k + 1)
    for j = 1, 3 do
        lab.check(pos(b.replicas[j]) == pos(a.replicas[j]) % 4 + 1,
                  "partition " .. (k + 1) .. " replica " .. j .. " follows partition " .. k)
    end
end
local ok, err = lab.create_topic{ name = "big", partitions = 1, replication_factor = 5 }
lab.check(ok == nil and err == "INVALID_REPLICATION_FACTOR", "RF 5 on 4 brokers: " .. tostring(err))
-- a clean stop: the broker's heartbeat asks to shut down (wantShutDown);
-- the controller fences it at once, which moves its leaderships, and the
-- broker exits: no 9 s wait
local q = lab.partition("t", 0)
lab.stop(q.leader)
lab.run(500)
local moved = lab.partition("t", 0)
lab.check(moved.leader ~= q.leader and moved.leader ~= nil,
          "clean stop moved leadership within 500 ms: " .. tostring(moved.leader))
local last = lab.metadata_log(1)[1]
lab.check(last.name == "FenceBrokerRecord", "its fence is the last record: " .. last.text)
