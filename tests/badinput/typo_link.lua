-- expect 3: lab.link: unknown field 'delay' (did you mean 'delay_ms'?)
lab.cluster{ zookeepers = 3 }
lab.link{ from = "zk1", to = "zk2", delay = 100 }
