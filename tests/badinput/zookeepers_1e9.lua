-- expect 2: zookeepers must be 1 to 15
lab.cluster{ zookeepers = 1e9 }
