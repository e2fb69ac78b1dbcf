-- expect 3: partitions
lab.cluster{ zookeepers = 1, brokers = 3 }
lab.create_topic{ name = "big", partitions = 1e9, replication_factor = 1 }
