-- expect 3: unknown node '109'
lab.cluster{ zookeepers = 1, brokers = 3 }
lab.kill("109")
