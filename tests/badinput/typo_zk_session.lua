-- expect 3: lab.zk_session: unknown field 'timeout' (did you mean 'timeout_ms'?)
lab.cluster{ zookeepers = 3 }
local s = lab.zk_session{ connect = { "zk1" }, timeout = 6000 }
