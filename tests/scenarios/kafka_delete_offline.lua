-- Topic deletion waits for every replica (TopicDeletionManager): the
-- controller deletes each replica with StopReplica and removes the topic's
-- znodes only when all have confirmed. A replica on a broker that is down
-- leaves the topic marked for deletion (/admin/delete_topics/<t> stays,
-- the topic is ineligible); when the broker comes back the deletion
-- resumes and completes. Clients stop seeing the topic at once.
lab.cluster{ brokers = 3, zookeepers = 3, seed = 15 }
lab.check(lab.wait_brokers(), "three brokers registered")
lab.check(lab.create_topic{ name = "gone", partitions = 3, replication_factor = 3 }, "topic created")
local p = lab.producer{ acks = "all" }
lab.check(p:send_many("gone", 30).acked == 30, "30 records written")
local down = 101
if lab.controller() == down then down = 102 end
local function held(id)
  for _, b in ipairs(lab.brokers()) do if b.id == id then return b.replicas end end
end
local zk = lab.zk_session{ connect = { "zk1", "zk2", "zk3" } }
lab.kill(down)
lab.check(lab.run_until(function() return not zk:exists("/brokers/ids/" .. down) end, 30000),
          ("%d crashed and its session expired"):format(down))
local ok, err = lab.delete_topic("gone")
lab.check(ok, "delete_topic answered: " .. tostring(err))
lab.run(10000)
lab.check(zk:exists("/admin/delete_topics/gone"), "10 s later the topic is still marked for deletion")
lab.check(zk:exists("/brokers/topics/gone"), "its znodes stay: a replica has not confirmed")
lab.check(lab.partition("gone", 0).deleting, "lab.partition says it is being deleted")
local live = 0
for _, b in ipairs(lab.brokers()) do
  if b.id ~= down then live = live + b.replicas end
end
lab.check(live == 0, "the brokers that are up deleted their replicas: " .. live)
lab.check(held(down) == 3, ("%d, down, still holds its 3 replicas"):format(down))
local c = lab.consumer{}
local recs, rerr = c:read("gone", 0, 0, 10)
lab.check(recs == nil and rerr == "UNKNOWN_TOPIC_OR_PARTITION",
          "clients no longer see it: " .. tostring(rerr))
local made, merr = lab.create_topic{ name = "gone", partitions = 1, replication_factor = 1 }
lab.check(made == nil and merr == "TOPIC_ALREADY_EXISTS",
          "it cannot be made again while marked for deletion: " .. tostring(merr))
local again, aerr = lab.delete_topic("gone")
lab.check(again == nil and aerr == "UNKNOWN_TOPIC_OR_PARTITION", "nor deleted twice: " .. tostring(aerr))
-- a new controller picks the marked topic up where the old one was
lab.check(zk:delete("/controller"), "/controller deleted: another controller takes over")
lab.run(5000)
lab.check(zk:exists("/admin/delete_topics/gone") and zk:exists("/brokers/topics/gone"),
          "under the new controller the topic is still marked, its znodes kept")
-- the broker comes back: the deletion resumes
lab.restart(down)
lab.check(lab.wait_brokers(), ("%d back"):format(down))
local done = lab.run_until(function() return not zk:exists("/admin/delete_topics/gone") end, 10000)
lab.check(done, "once it is back the deletion completes")
lab.check(not zk:exists("/brokers/topics/gone") and not zk:exists("/config/topics/gone"),
          "the topic's znodes are gone")
lab.check(held(down) == 0, ("%d deleted its replicas too"):format(down))
lab.check(lab.create_topic{ name = "gone", partitions = 1, replication_factor = 3 }, "now it can be made again")
local fresh = c:read("gone", 0, 0, 10)
lab.check(fresh and #fresh == 0, "empty")
lab.check(lab.converge(30000), "replicas converge")
