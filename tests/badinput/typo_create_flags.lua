-- expect 4: s:create flags: unknown flag 'sequentail' (did you mean 'sequential'?)
lab.cluster{ zookeepers = 1 }
local s = lab.zk_session{}
s:create("/lock-", "", { ephemeral = true, sequentail = true })
