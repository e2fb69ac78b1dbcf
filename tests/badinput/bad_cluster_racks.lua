-- expect 2: lab.cluster racks: [105] is not a broker of this cluster (brokers 101..103
lab.cluster{ zookeepers = 1, brokers = 3, racks = { [101] = "a", [105] = "b" } }
