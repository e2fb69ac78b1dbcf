-- A broker crash, end to end: the controller notices only when the
-- broker's ZooKeeper session expires, then moves leadership within the ISR.
lab.cluster{ zookeepers = 3, brokers = 3, seed = 1 }
lab.wait_brokers()
lab.create_topic{ name = "orders", partitions = 3, replication_factor = 3,
                  config = { ["min.insync.replicas"] = 2 } }
local p = lab.producer{ bootstrap = { 101, 102 }, acks = "all" }
lab.check(p:send_many("orders", 100).acked == 100, "100 writes acknowledged")

local before = lab.partition("orders", 0)
lab.kill(before.leader)                   -- a crash: noticed when its session expires
lab.run_until(function() return lab.partition("orders", 0).leader ~= before.leader end, 30000)
lab.run(1000)
local after = lab.partition("orders", 0)
lab.say(("orders-0: leader %d -> %d, leader epoch %d -> %d, ISR {%s}"):format(
  before.leader, after.leader, before.leader_epoch, after.leader_epoch, table.concat(after.isr, ",")))
lab.check(lab.audit().lost == 0, "no acknowledged record lost")
