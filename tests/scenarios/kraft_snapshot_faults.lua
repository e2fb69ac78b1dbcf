-- KRaft snapshots under faults: kraft_faults' random crashes, isolations,
-- pauses and restarts of brokers and controllers under an acks=all
-- producer, with lesson-sized snapshot settings (a snapshot every 300
-- bytes of records, metadata.max.retention.bytes 1), so nodes restart
-- from their own snapshots (KafkaRaftClient.updateListenersProgress),
-- logs start past snapshots (KafkaMetadataLog.deleteBeforeSnapshot) and
-- returning nodes load the leader's with FetchSnapshot. After healing:
-- every partition converges, no acknowledged write is lost, raft_check
-- saw no divergence, and every controller and broker holds the same
-- metadata image as the active controller.
local nodes = { "101", "102", "103", "104", "ctl1", "ctl2", "ctl3" }
local function same(a, b)
    local x, y = lab.metadata_image(a), lab.metadata_image(b)
    if x.offset ~= y.offset or #x.records ~= #y.records then return false end
    for i = 1, #x.records do
        if x.records[i] ~= y.records[i] then return false end
    end
    return true
end
for _, seed in ipairs({ 2, 3, 7, 11 }) do
    lab.cluster{ mode = "kraft", controllers = 3, brokers = 4, seed = seed,
                 config = { ["metadata.log.max.record.bytes.between.snapshots"] = 300,
                            ["metadata.max.retention.bytes"] = 1 } }
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
    lab.check(lab.converge(120000), "seed " .. seed .. ": every partition converged after healing")
    local a = lab.audit()
    lab.check(a.lost == 0 and a.unavailable == 0,
              "seed " .. seed .. ": none of " .. a.acked .. " acknowledged writes lost or unavailable")
    local q = lab.quorum()
    local snaps, start = 0, 0
    for _, v in ipairs(q.voters) do
        snaps = snaps + v.snapshots
        if v.log_start_offset > start then start = v.log_start_offset end
    end
    lab.check(snaps > 0, "seed " .. seed .. ": the controllers hold snapshots (" .. snaps ..
              "), a log starts at " .. start)
    lab.run(3000)
    local all = true
    for _, n in ipairs(nodes) do
        if n ~= q.leader and not same(q.leader, n) then
            all = false
            lab.say("seed " .. seed .. ": " .. n .. "'s image differs from " .. q.leader .. "'s")
        end
    end
    lab.check(all, "seed " .. seed .. ": every controller and broker holds the leader's image")
end
