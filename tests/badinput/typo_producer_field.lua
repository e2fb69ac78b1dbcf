-- expect 3: lab.producer: unknown field 'bootstrp' (did you mean 'bootstrap'?)
lab.cluster{ zookeepers = 1, brokers = 3 }
local p = lab.producer{ bootstrp = { 101 } }
