-- expect 4: lab.create_topic config: unknown setting 'min.insync.replica' (did you mean 'min.insync.replicas'?)
lab.cluster{ zookeepers = 1, brokers = 3 }
lab.wait_brokers()
lab.create_topic{ name = "t", partitions = 1, replication_factor = 3, config = { ["min.insync.replica"] = 2 } }
