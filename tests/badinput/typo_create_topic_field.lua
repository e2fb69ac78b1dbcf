-- expect 3: lab.create_topic: unknown field 'replication' (did you mean 'replication_factor'?)
lab.cluster{ zookeepers = 1, brokers = 3 }
lab.create_topic{ name = "t", partitions = 3, replication = 3 }
