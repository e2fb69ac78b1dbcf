-- expect 3: unknown node 'zk9'
lab.cluster{ zookeepers = 3 }
lab.kill("zk9")
