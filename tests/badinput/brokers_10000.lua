-- expect 2: brokers must be
lab.cluster{ zookeepers = 1, brokers = 10000 }
