-- expect 3: unknown node 'zk9' (servers zk1..zk3, no brokers)
lab.cluster{ zookeepers = 3 }
lab.kill("zk9")
