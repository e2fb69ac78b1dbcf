-- lab.listen in a KRaft world: real clients reach its brokers only (kcat
-- bootstraps from brokers; a KRaft world has no ZooKeeper, and its
-- controllers take no clients), so a ZooKeeper port is refused rather
-- than silently ignored (the listening line used to print an empty,
-- backwards ZooKeeper range: 127.0.0.1:2181-2180), and so is a world with
-- no broker to listen on. Both are refused before any port is bound.
lab.cluster{ mode = "kraft", controllers = 3, brokers = 3 }
local ok, err = pcall(lab.listen, { zk_port = 2181, kafka_port = 9092 })
lab.check(not ok and tostring(err):find("zk_port is ZooKeeper mode's: a KRaft world has no ZooKeeper", 1, true),
          "zk_port in a KRaft world: " .. tostring(err))

lab.cluster{ mode = "kraft", controllers = 3, brokers = 0 }
ok, err = pcall(lab.listen, { kafka_port = 9092 })
lab.check(not ok and tostring(err):find("this KRaft world has no brokers", 1, true),
          "a KRaft world without brokers: " .. tostring(err))
