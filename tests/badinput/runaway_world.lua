-- expect 7: the world grew past its memory budget
-- 1 KB znodes created without end (200,000 took 1.3 GB and ended "0 passed,
-- 0 failed", exit 0): the world stops at its memory budget with an error,
-- exit 2. memory_mb lowers the budget (default 2048 MB) to keep this quick.
lab.cluster{ zookeepers = 1, memory_mb = 64 }
local s, kb = lab.zk_session{}, string.rep("x", 1024)
for i = 1, 200000 do s:create("/n" .. i, kb) end
