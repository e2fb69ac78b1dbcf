-- expect 3: lab.create_topic config: min.insync.replicas must be 1 to 2147483647, not 0
lab.cluster{ zookeepers = 1, brokers = 3 }
lab.create_topic{ name = "t", config = { ["min.insync.replicas"] = 0 } }
