-- expect 2: lab.cluster config: unknown setting 'ticktime' (did you mean 'tickTime'?)
lab.cluster{ zookeepers = 1, config = { ticktime = 1000 } }
