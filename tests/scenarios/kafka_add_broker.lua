-- A broker joining a running cluster (lab.add_broker), as Kafka 2.8 does
-- it: the new process registers its ephemeral /brokers/ids/<id>
-- (KafkaZkClient.registerBroker), the controller's child watch on
-- /brokers/ids fires (BrokerChangeHandler), and onBrokerStartup sends it
-- UpdateMetadata; it holds no replica until a topic is created or a
-- reassignment moves some, since nothing moves existing replicas by itself.
lab.cluster{ brokers = 3, zookeepers = 3, seed = 21 }
lab.check(lab.wait_brokers(), "three brokers registered")
lab.check(lab.create_topic{ name = "old", partitions = 3, replication_factor = 3 },
          "topic old on 101..103")
local p = lab.producer{ bootstrap = { 101 }, acks = "all" }
lab.check(p:send_many("old", 30).acked == 30, "30 records into old")

local none, why = lab.create_topic{ name = "wide", partitions = 1, replication_factor = 4 }
lab.check(not none and why == "INVALID_REPLICATION_FACTOR", "RF 4 on three brokers is refused: " .. tostring(why))

-- a session of our own watches /brokers/ids as the controller does
local zk = lab.zk_session{}
local events = {}
zk:watch("/brokers/ids", function(ev, path) events[#events + 1] = ev .. " " .. path end,
         { children = true })
local before = zk:children("/brokers/ids")
lab.check(#before == 3, "/brokers/ids has 3 children before")

local id = lab.add_broker{ id = 105 }
lab.check(id == 105, "lab.add_broker returns the new id")
lab.check(lab.status(105) == "UP", "the new process runs at once")
lab.check(lab.wait_brokers(4, 10000), "the controller reads its registration within 10 s")
lab.run(1000)
lab.check(events[1] == "NodeChildrenChanged /brokers/ids",
          "the child watch on /brokers/ids fired: " .. tostring(events[1]))
local kids = zk:children("/brokers/ids")
lab.check(#kids == 4 and kids[4] == "105", "/brokers/ids lists 105")
local _, st = zk:get("/brokers/ids/105")
lab.check(st and st.ephemeral_owner ~= 0, "its registration is ephemeral (owned by its session)")

-- UpdateMetadata reached it: a client that knows only 105 finds every
-- topic and its leaders through it
local q = lab.producer{ bootstrap = { 105 }, acks = "all" }
lab.check(q:send_many("old", 10).acked == 10, "a producer bootstrapped from 105 alone writes to old")

-- nothing moved onto it: the old topic keeps its replicas
local held = {}
for _, b in ipairs(lab.brokers()) do held[b.id] = b.replicas end
lab.check(held[105] == 0, "105 holds no replica: the cluster does not rebalance by itself")
for i, part in ipairs(lab.topic("old")) do
  local on105 = false
  for _, r in ipairs(part.replicas) do on105 = on105 or r == 105 end
  lab.check(not on105, ("old-%d still on 101..103"):format(i - 1))
end

-- a topic created now places replicas on it too
lab.check(lab.create_topic{ name = "new", partitions = 4, replication_factor = 2 }, "topic new")
lab.check(not lab.partition("new", 0).deleting, "a topic not marked for deletion says so")
lab.run(2000)
for _, b in ipairs(lab.brokers()) do held[b.id] = b.replicas end
lab.check(held[105] == 2, "4 partitions x RF 2 over 4 brokers: 105 holds 2 of new's replicas")

-- an RF 4 topic needs the fourth broker: refused before, possible now
lab.check(lab.create_topic{ name = "wide", partitions = 1, replication_factor = 4 },
          "RF 4 is possible with the fourth broker")

-- the id is taken: refused, as a second registration of /brokers/ids/105
-- would fail (NodeExists)
local ok, err = pcall(lab.add_broker, { id = 105 })
lab.check(not ok and err:find("exists already"), "a taken id is refused: " .. tostring(err))
-- no id: the next one
lab.check(lab.add_broker() == 106, "without an id, the one after the highest")

-- the new broker is a broker like the others: a crash of it is noticed at
-- its session's expiry, and the controller takes it out of the ISRs
lab.kill(105)
lab.run(25000)
lab.check(not lab.brokers()[4].registered, "105 crashed: its registration is gone after the session timeout")
lab.restart(105)
lab.check(lab.wait_brokers(5, 30000), "105 back, and 106 registered")
lab.check(lab.converge(60000), "replicas converge")
lab.check(lab.audit().lost == 0, "no acknowledged record lost")

-- a world built without brokers gets its first one this way
lab.cluster{ zookeepers = 3, seed = 21 }
lab.check(lab.add_broker() == 101, "a world without brokers: the first is 101")
lab.check(lab.wait_brokers(1, 20000), "and it registers")
lab.check(lab.controller() == 101, "and becomes the controller")
