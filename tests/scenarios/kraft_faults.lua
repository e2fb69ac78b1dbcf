-- KRaft mode under faults (issue 12): brokers and controllers crashed,
-- isolated, paused and restarted at random while an acks=all producer
-- writes (min.insync.replicas 2); then everything heals and restarts.
-- Liveness: a controller becomes active again (QuorumController claims
-- once its Raft log is replayed), every partition converges (leader,
-- replicas equal, in the ISR, HW at the log end). Safety: no acknowledged
-- write is lost (the ISR and leader rules of ReplicationControlManager and
-- PartitionChangeBuilder, the brokers' truncation by leader epoch).
local nodes = { "101", "102", "103", "104", "ctl1", "ctl2", "ctl3" }
for _, seed in ipairs({ 1, 4, 7, 10 }) do
    lab.cluster{ mode = "kraft", controllers = 3, brokers = 4, seed = seed }
    lab.wait_brokers()
    lab.create_topic{ name = "t", partitions = 4, replication_factor = 3,
                      config = { ["min.insync.replicas"] = 2 } }
    local p = lab.producer{ bootstrap = { 101, 102, 103, 104 }, acks = "all" }
    local x = seed
    local function draw(n) x = (x * 1103515245 + 12345) % 2147483648; return x % n + 1 end
    for _ = 1, 8 do
        local victim, act = nodes[draw(#nodes)], draw(4)
        if act == 1 then lab.kill(victim) elseif act == 2 then lab.isolate(victim)
        elseif act == 3 then lab.pause(victim) else lab.restart(victim) end
        p:send_many("t", 20)
        lab.run(draw(6000))
        if draw(3) == 1 then
            lab.heal()
            for _, n in ipairs(nodes) do lab.restart(n) end
        end
    end
    lab.heal()
    for _, n in ipairs(nodes) do lab.restart(n) end
    local ok = lab.converge(120000)
    lab.check(ok, "seed " .. seed .. ": every partition converged after healing")
    local a = lab.audit()
    lab.check(a.lost == 0 and a.unavailable == 0,
              "seed " .. seed .. ": none of " .. a.acked .. " acknowledged writes lost or unavailable")
end
