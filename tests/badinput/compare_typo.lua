-- expect 2: lab.compare left: unknown field 'zookepers' (did you mean 'zookeepers'?)
lab.compare{ left = { zookepers = 3 }, right = { zookeepers = 5 } }
