-- expect 4: '/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa... (10001 bytes)' is not a valid znode path
lab.cluster{ zookeepers = 1 }
local s = lab.zk_session{}
s:get("/" .. string.rep("a", 10000))    -- quoted cut short, not printed whole
