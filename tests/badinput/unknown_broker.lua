-- expect 3: unknown node '109' (servers zk1, brokers 101..103)
lab.cluster{ zookeepers = 1, brokers = 3 }
lab.kill("109")
