-- The scale run through the Lua API, as a learner's script would do it:
-- N brokers, P partitions RF 3 in topics of at most 10,000 (a bigger
-- topic's assignment would pass ZooKeeper's 1 MB znode limit), crash a
-- broker that leads some, then poll lab.partition for every partition
-- every 100 simulated ms until every partition has a leader other than
-- the crashed broker (a poll stops at the first partition not yet re-led,
-- as a run_until predicate would; one that reads all 10,000 every time
-- makes 1.9 million lab.partition calls, about 3.5 us each). tests/bench/bench_lua runs it with --trust and
-- BENCH_BROKERS, BENCH_PARTITIONS in the environment; plain runs use 100
-- brokers and one topic of 10,000.
local env = os and os.getenv or function() return nil end
local brokers = tonumber(env("BENCH_BROKERS")) or 100
local partitions = tonumber(env("BENCH_PARTITIONS")) or 10000
local ntopics = (partitions + 9999) // 10000
local per = partitions // ntopics
local clock = os and os.clock or function() return 0 end
local function name(t) return ntopics == 1 and "big" or "big" .. t end

local t0 = clock()
-- the limit on a broker's ZooKeeper requests in flight (Kafka's 10) is
-- lifted as bench_kafka lifts it, so both paths run the same world
lab.cluster{ zookeepers = 3, brokers = brokers,
             config = { ["zookeeper.max.in.flight.requests"] = 1000000 } }
assert(lab.wait_brokers(brokers, 120000), "brokers did not register")
local t1 = clock()
for t = 1, ntopics do
    assert(lab.create_topic{ name = name(t), partitions = per, replication_factor = 3 })
end
local t2 = clock()

-- the victim: a broker that is not the controller and leads partitions
local ctrl = lab.controller()
local victim = ctrl == 101 and 102 or 101
local led = 0
for t = 1, ntopics do
    for p = 0, per - 1 do
        if lab.partition(name(t), p).leader == victim then led = led + 1 end
    end
end
lab.kill(victim)
local t3 = clock()

local function reled()
    for t = 1, ntopics do
        for p = 0, per - 1 do
            local l = lab.partition(name(t), p).leader
            if l == nil or l == victim then return false end
        end
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
lab.check(true, string.format("%d partitions (%d topics) re-led %.1f s (simulated) after "
    .. "the crash of %d, which led %d; %d polls", per * ntopics, ntopics,
    (lab.now() - crashed_at) / 1000, victim, led, polls))
print(string.format("cpu: cluster up %.2f s, create %.2f s, crash to re-led %.2f s",
    t1 - t0, t2 - t1, t4 - t3))
