-- expect 4: unknown node '3' (servers zk1..zk3, brokers 101..104)
-- a bare number is a broker id, as the dashboard reads it too: never zk3
lab.cluster{ zookeepers = 3, brokers = 4 }
lab.kill(3)
