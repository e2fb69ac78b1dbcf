-- A topic made while a controller is in charge: the controller reads the
-- topic's assignment and writes each partition's first state, reading no
-- partition state (KafkaController.processTopicChange ->
-- onNewPartitionCreation -> KafkaZkClient.createTopicPartitionStatesRaw,
-- Kafka 2.8). Only a controller's first load reads every state
-- (initializeControllerContext; kafka_controller_load.lua). Counted as
-- the controller's requests to the ensemble while the topic is made: one
-- write per partition and a handful for the topic, not a read and a
-- write per partition.
lab.cluster{ zookeepers = 3, brokers = 3, seed = 7 }
assert(lab.wait_brokers(3, 30000), "brokers registered")
lab.run(2000)
local ctrl = lab.controller()
local parts = 50

local function requests_since(t)
  local n = 0
  for _, m in ipairs(lab.message_log(t)) do
    if m.from == ctrl and tostring(m.to):match("^zk") and m.type == "zk.request" then
      n = n + 1
    end
  end
  return n
end

local t = lab.now()
lab.check(lab.create_topic{ name = "fresh", partitions = parts, replication_factor = 3 },
  "a topic of 50 partitions made")
local n = requests_since(t)
lab.check(n >= parts and n <= parts + 10,
  ("the controller sent %d requests to the ensemble for 50 new partitions: "
   .. "one state write each and a few for the topic, no state read"):format(n))
local led = 0
for p = 0, parts - 1 do
  local st = lab.partition("fresh", p)
  if st.leader ~= nil and #st.isr == 3 and st.leader_epoch == 0 then led = led + 1 end
end
lab.check(led == parts, ("%d of 50 partitions have a leader, an ISR of 3 and "
  .. "leader epoch 0"):format(led))
