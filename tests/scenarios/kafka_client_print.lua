-- Kafka clients print as themselves (__tostring), as ZooKeeper sessions
-- do: a name that is the same in every run, never a userdata address.
lab.cluster{ zookeepers = 1, brokers = 2 }
lab.check(lab.wait_brokers(), "brokers registered")
local p = lab.producer{ acks = "all" }
local c = lab.consumer{ bootstrap = { 101 } }
lab.check(tostring(p) == "producer p1", "a producer prints as 'producer p1': " .. tostring(p))
lab.check(tostring(c) == "consumer c1", "a consumer prints as 'consumer c1': " .. tostring(c))
local s = lab.zk_session{}
lab.check(tostring(s):match("^zk_session c%d") ~= nil, "a session prints as itself: " .. tostring(s))
lab.cluster{ zookeepers = 1 }
lab.check(tostring(p) == "producer (gone with its world)", "a client of an earlier world says so")
