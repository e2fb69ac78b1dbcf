-- A new controller's load grows with the partitions (KIP-500's case): it
-- reads every partition's state znode before it elects anything
-- (KafkaController.initializeControllerContext,
-- KafkaZkClient.getTopicPartitionStates), and Kafka's ZooKeeperClient lets
-- at most zookeeper.max.in.flight.requests (10) of those reads out at once
-- (ZooKeeperClient.handleRequests' semaphore; 10 is KafkaConfig's default,
-- which the lab's brokers take unless told). With a limit far above the
-- partition count the reads go all at once.
local function failover(parts, inflight)
  local config = inflight and { ["zookeeper.max.in.flight.requests"] = inflight } or nil
  lab.cluster{ zookeepers = 3, brokers = 3, seed = 5, config = config }
  assert(lab.wait_brokers(3, 60000), "brokers registered")
  assert(lab.create_topic{ name = "t", partitions = parts, replication_factor = 3 })
  lab.run(2000)
  local old = lab.controller()
  local led
  for p = 0, parts - 1 do
    if lab.partition("t", p).leader == old then led = p break end
  end
  assert(led, "the controller leads a partition")
  lab.kill(old)
  lab.run_until(function() local c = lab.controller(); return c ~= nil and c ~= old end, 40000)
  local elected = lab.now()
  lab.run_until(function()
    local l = lab.partition("t", led).leader
    return l ~= nil and l ~= old
  end, 120000)
  return lab.now() - elected
end

local small = failover(100, 10)
local big = failover(2000, 10)
local default = failover(2000, nil)
local unlimited = failover(2000, 100000)
lab.check(big >= 500, ("with 10 requests in flight, 2,000 partitions take %d ms "
  .. "from the new controller's election to its first leader change"):format(big))
lab.check(big > 5 * small, ("20 times the partitions, more than 5 times the load: "
  .. "%d ms against %d ms for 100"):format(big, small))
lab.check(default == big, ("unset, the limit is Kafka's 10: %d ms, with 10 %d ms")
  :format(default, big))
lab.check(unlimited < big / 5, ("without the limit the reads all go at once: %d ms "
  .. "for 2,000"):format(unlimited))
