-- expect 4: s:watch options: unknown option 'child' (did you mean 'children'?)
lab.cluster{ zookeepers = 1 }
local s = lab.zk_session{}
s:watch("/a", function() end, { child = true })
