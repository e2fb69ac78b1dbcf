-- expect 3: lab.cluster config: unknown setting 'min.insync.replica' (did you mean 'min.insync.replicas'?)
-- broker settings (server.properties names) and the ensemble's share one table
lab.cluster{ zookeepers = 1, brokers = 3, config = { tickTime = 2000, ["min.insync.replica"] = 2 } }
