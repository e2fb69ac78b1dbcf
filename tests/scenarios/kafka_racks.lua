-- Rack-aware placement needs a rack on every broker. With some brokers
-- racked and some not, AdminUtils.assignReplicasToBrokers throws an
-- AdminOperationException ("Not all brokers have rack information for
-- replica rack aware assignment."), which is no ApiException: the
-- CreateTopics answer is UNKNOWN_SERVER_ERROR (Errors.forException).
lab.cluster{ brokers = 3, zookeepers = 3, seed = 24, racks = { [101] = "a", [102] = "b" } }
lab.check(lab.wait_brokers(), "three brokers registered, 103 without a rack")
local ok, err = lab.create_topic{ name = "r", partitions = 3, replication_factor = 2 }
lab.check(ok == nil and err == "UNKNOWN_SERVER_ERROR", "creation refused: " .. tostring(err))
local zk = lab.zk_session{ connect = { "zk1", "zk2", "zk3" } }
lab.check(not zk:exists("/brokers/topics/r"), "nothing was written")
-- a replication factor above the broker count is checked first
ok, err = lab.create_topic{ name = "r", partitions = 3, replication_factor = 4 }
lab.check(ok == nil and err == "INVALID_REPLICATION_FACTOR", "RF 4 of 3 brokers: " .. tostring(err))

-- every broker racked: placed across racks
lab.cluster{ brokers = 4, zookeepers = 3, seed = 24,
             racks = { [101] = "a", [102] = "a", [103] = "b", [104] = "b" } }
lab.check(lab.wait_brokers(), "four brokers in two racks")
lab.check(lab.create_topic{ name = "r", partitions = 4, replication_factor = 2 }, "topic created")
local rack = { [101] = "a", [102] = "a", [103] = "b", [104] = "b" }
local spread = true
for _, s in ipairs(lab.topic("r")) do
  if rack[s.replicas[1]] == rack[s.replicas[2]] then spread = false end
end
lab.check(spread, "each partition's two replicas sit in different racks")
