-- expect 4: s:multi op: unknown field 'verison' (did you mean 'version'?)
lab.cluster{ zookeepers = 1 }
local s = lab.zk_session{}
s:multi{ { op = "create", path = "/a" }, { op = "check", path = "/a", verison = 0 } }
