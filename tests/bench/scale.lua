-- The scale run through the Lua API, as a learner's script would do it:
-- N brokers, one topic of P partitions RF 3, crash a broker that leads
-- some, then poll lab.partition for every partition every 100 simulated
-- ms until every partition has a leader other than the crashed broker.
-- tests/bench/bench_lua runs it with --trust and BENCH_BROKERS,
-- BENCH_PARTITIONS in the environment; plain runs use 100 and 10,000.
local env = os and os.getenv or function() return nil end
local brokers = tonumber(env("BENCH_BROKERS")) or 100
local partitions = tonumber(env("BENCH_PARTITIONS")) or 10000
local clock = os and os.clock or function() return 0 end

local t0 = clock()
lab.cluster{ zookeepers = 3, brokers = brokers }
assert(lab.wait_brokers(brokers, 120000), "brokers did not register")
local t1 = clock()
assert(lab.create_topic{ name = "big", partitions = partitions, replication_factor = 3 })
local t2 = clock()

-- the victim: a broker that is not the controller and leads partitions
local ctrl = lab.controller()
local victim = ctrl == 101 and 102 or 101
local led = 0
for p = 0, partitions - 1 do
    if lab.partition("big", p).leader == victim then led = led + 1 end
end
lab.kill(victim)
local t3 = clock()

local function reled()
    for p = 0, partitions - 1 do
        local l = lab.partition("big", p).leader
        if l == nil or l == victim then return false end
    end
    return true
end
local crashed_at = lab.now()
local polls = 0
while not reled() do
    polls = polls + 1
    assert(lab.now() - crashed_at < 120000, "partitions were not re-led within 120 s")
    lab.run(100)
end
local t4 = clock()
lab.check(true, string.format("%d partitions re-led %.1f s (simulated) after the crash of %d, "
    .. "which led %d; %d polls", partitions, (lab.now() - crashed_at) / 1000, victim, led, polls))
print(string.format("bench\tcluster up (cpu)\t%.3f\ts", t1 - t0))
print(string.format("bench\tcreate topic (cpu)\t%.3f\ts", t2 - t1))
print(string.format("bench\tcrash to re-led (cpu)\t%.3f\ts", t4 - t3))
