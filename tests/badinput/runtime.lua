-- expect 4: attempt to index a nil value
lab.cluster{ zookeepers = 3 }
local t = nil
local y = t.x
