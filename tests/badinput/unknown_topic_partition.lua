-- expect 3: unknown topic 'nope'
lab.cluster{ zookeepers = 1, brokers = 3 }
lab.partition("nope", 0)
