-- Topic deletion: /admin/delete_topics/<t> makes the controller stop and
-- delete every replica, then remove the topic's znodes; a topic made
-- again under the same name starts empty.
lab.cluster{ brokers = 3, zookeepers = 3, seed = 15 }
lab.run_until(function()
  local n = 0
  for _, b in ipairs(lab.brokers()) do if b.registered then n = n + 1 end end
  return n == 3
end, 30000)
lab.check(lab.create_topic{ name = "gone", partitions = 3, replication_factor = 2 }, "topic created")
local p = lab.producer{ acks = "all" }
lab.check(p:send_many("gone", 30).acked == 30, "30 records written")
local held = 0
for _, b in ipairs(lab.brokers()) do held = held + b.replicas end
lab.check(held == 6, "3 partitions x RF 2 = 6 replicas held: " .. held)
local ok, err = lab.delete_topic("gone")
lab.check(ok, "delete_topic answered: " .. tostring(err))
lab.run(3000)
local zk = lab.zk_session{ connect = { "zk1", "zk2", "zk3" } }
lab.check(not zk:exists("/brokers/topics/gone"), "/brokers/topics/gone is gone")
lab.check(not zk:exists("/config/topics/gone"), "its config is gone")
local pending = zk:children("/admin/delete_topics")
lab.check(pending and #pending == 0, "the deletion request was consumed")
lab.check(lab.topic("gone") == nil, "lab.topic no longer knows it")
held = 0
for _, b in ipairs(lab.brokers()) do held = held + b.replicas end
lab.check(held == 0, "no broker holds a replica any more: " .. held)
local ok2, err2 = lab.delete_topic("gone")
lab.check(ok2 == nil and err2 == "UNKNOWN_TOPIC_OR_PARTITION", "deleting it again: " .. tostring(err2))
local c = lab.consumer{}
local recs, rerr = c:read("gone", 0, 0, 10)
lab.check(recs == nil and rerr == "UNKNOWN_TOPIC_OR_PARTITION", "reading it fails: " .. tostring(rerr))
lab.check(lab.create_topic{ name = "gone", partitions = 1, replication_factor = 3 }, "made again")
local fresh = c:read("gone", 0, 0, 10)
lab.check(fresh and #fresh == 0, "the new topic of the same name is empty")
-- a new producer: p's cached metadata still names the old topic's three
-- partitions, and a record bound to a partition stays bound to it
-- (KafkaProducer.doSend picks once; metadata.max.age.ms is 5 minutes)
local p2 = lab.producer{ acks = "all" }
lab.check(p2:send_many("gone", 5).acked == 5, "and takes writes")
lab.check(lab.converge(30000), "replicas converge")
