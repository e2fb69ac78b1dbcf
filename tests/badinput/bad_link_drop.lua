-- expect 3: lab.link: drop must be a number from 0 to 1, not 30
lab.cluster{ zookeepers = 3 }
lab.link{ from = "zk1", to = "zk2", drop = 30 }
