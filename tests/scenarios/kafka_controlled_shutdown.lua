-- Controlled shutdown as Kafka 2.8 does it. KafkaController.doControlledShutdown
-- acts only on partitions with more than one replica and counts only
-- those as remaining, so a broker leading a single-replica partition stops
-- at once. KafkaServer.controlledShutdown makes controlled.shutdown.max.retries
-- (3) attempts in all, each failure followed by
-- controlled.shutdown.retry.backoff.ms (5000), then stops anyway: about 15 s
-- when no other in-sync replica can take a partition over.
lab.cluster{ brokers = 3, zookeepers = 3, seed = 21 }
lab.check(lab.wait_brokers(), "three brokers registered")
lab.check(lab.create_topic{ name = "solo", partitions = 3, replication_factor = 1 }, "RF 1 topic created")
local p = lab.producer{ acks = 1 }
lab.check(p:send_many("solo", 30).acked == 30, "30 records written")
local leader = lab.partition("solo", 0).leader
local t0 = lab.now()
lab.stop(leader)
local took = lab.now() - t0
lab.check(took < 1000, ("%d leads single-replica solo-0 and stopped in %d ms: "
  .. "nothing to move, nothing to wait for"):format(leader, took))
lab.run(2000)
local solo = lab.partition("solo", 0)
lab.check(solo.leader == nil, "solo-0 is offline while its only broker is down")
lab.check(#solo.isr == 1 and solo.isr[1] == leader,
  "its ISR keeps its last member (ReplicaStateMachine never empties it)")
lab.restart(leader)
lab.check(lab.wait_brokers(), "back")

-- RF 2, and the other replica is down: nobody can take the leadership
lab.cluster{ brokers = 3, zookeepers = 3, seed = 22 }
lab.check(lab.wait_brokers(), "three brokers registered")
lab.check(lab.create_topic{ name = "pair", partitions = 1, replication_factor = 2 }, "RF 2 topic created")
local s = lab.partition("pair", 0)
local other = s.replicas[1] == s.leader and s.replicas[2] or s.replicas[1]
lab.kill(other)
lab.check(lab.run_until(function() return #lab.partition("pair", 0).isr == 1 end, 30000),
  ("%d crashed; once its session expired the ISR is the leader alone"):format(other))
t0 = lab.now()
lab.stop(s.leader)
took = lab.now() - t0
lab.check(took >= 15000 and took < 16500,
  ("with pair-0 still on it after 3 attempts, 5 s apart, %d stopped anyway after %.1f s"):format(
    s.leader, took / 1000))
