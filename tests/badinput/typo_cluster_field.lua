-- expect 3: lab.cluster: unknown field 'zookeeper' (did you mean 'zookeepers'?)
-- a typo in lab.cluster{} is an error, never a default taken in silence
lab.cluster{ zookeeper = 3 }
