-- expect 4: lab.producer: acks must be 0, 1, -1 or "all", not "al"
lab.cluster{ zookeepers = 1, brokers = 3 }
lab.wait_brokers()
local p = lab.producer{ acks = "al" }
