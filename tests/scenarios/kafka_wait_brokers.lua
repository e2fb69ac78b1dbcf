-- lab.wait_brokers: runs until brokers are registered and known to the
-- controller; false when they never come.
lab.cluster{ zookeepers = 3, brokers = 3, seed = 11 }
lab.kill(103)                   -- dies before it can register
lab.check(lab.wait_brokers(2, 30000) == true, "two brokers register")
local n = 0
for _, b in ipairs(lab.brokers()) do if b.registered then n = n + 1 end end
lab.check(n == 2, "lab.brokers() agrees: two registered")
local t0 = lab.now()
lab.check(lab.wait_brokers(3, 5000) == false, "the dead broker never registers: false")
lab.check(lab.now() - t0 == 5000, "and the wait took the whole timeout")
lab.restart(103)
lab.check(lab.wait_brokers() == true, "with no argument it waits for all three")
lab.check(not pcall(lab.wait_brokers, 4), "more brokers than the cluster has is an error")
