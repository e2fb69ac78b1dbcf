-- expect 3: unexpected symbol
lab.cluster{ zookeepers = 3 }
local x = = 1
