-- KRaft metadata snapshots (KIP-630), with lesson-sized settings: every
-- node writes a snapshot of its image once the records applied since its
-- last one pass metadata.log.max.record.bytes.between.snapshots
-- (SnapshotGenerator.publishLogDelta; Kafka's default is 20 MiB); with
-- two snapshots and metadata.max.retention.bytes passed, the log cleaner
-- (KafkaMetadataLog.maybeClean, every 60 s) drops the older one and the
-- log now starts at the newer (deleteBeforeSnapshot). A controller and a
-- broker that were down meanwhile fetch below the leader's log start
-- offset: the Fetch answer names the snapshot (SnapshotId), they load it
-- with FetchSnapshot (KafkaRaftClient.handleFetchSnapshotRequest) and
-- fetch the log after it; their images then match the leader's.
lab.cluster{ mode = "kraft", controllers = 3, brokers = 3, seed = 1,
             config = { ["metadata.log.max.record.bytes.between.snapshots"] = 1000,
                        ["metadata.max.retention.bytes"] = 1 } }
lab.check(lab.wait_brokers(), "every broker registered and unfenced")
lab.kill("ctl3")
lab.kill(103)
for i = 1, 6 do
    lab.create_topic{ name = "t" .. i, partitions = 6, replication_factor = 2 }
    lab.run(2000)
end
local function voter(name)
    for _, v in ipairs(lab.quorum().voters) do
        if v.name == name then return v end
    end
end
local q = lab.quorum()
local leader = voter(q.leader)
lab.check(leader.snapshot ~= nil and leader.snapshots >= 2,
          "the leader wrote snapshots (" .. leader.snapshots .. ") past 1000 bytes of records each")
lab.check(leader.log_start_offset == 0, "the log still starts at 0 before the cleaner's turn")
-- the cleaner runs every 60 s: the older snapshot goes, the log moves up
lab.run(61000)
leader = voter(q.leader)
lab.check(leader.snapshots == 1 and leader.log_start_offset == leader.snapshot.end_offset,
          "the log now starts at the latest snapshot, offset " .. leader.log_start_offset)
local ml = lab.metadata_log(100)
lab.check(ml.log_start_offset == leader.log_start_offset and ml[1].offset >= ml.log_start_offset,
          "lab.metadata_log lists records from the log start offset on")
local down = voter("ctl3")
lab.check(down.log_end_offset < leader.log_start_offset,
          "ctl3 was down: its log (" .. down.log_end_offset .. ") ends below the log start")
lab.restart("ctl3")
lab.restart(103)
lab.run_until(function()
    local v = voter("ctl3")
    return v.log_end_offset == voter(q.leader).log_end_offset and v.high_watermark == v.log_end_offset
end, 10000)
local back = voter("ctl3")
lab.check(back.log_start_offset == leader.log_start_offset and back.snapshot ~= nil and
          back.snapshot.end_offset == leader.snapshot.end_offset,
          "ctl3 loaded the leader's snapshot: its log starts at " .. back.log_start_offset)
lab.check(lab.wait_brokers(3, 20000), "broker 103 registered again and unfenced")
lab.run(3000)
local function same(a, b)
    local x, y = lab.metadata_image(a), lab.metadata_image(b)
    if x.offset ~= y.offset or #x.records ~= #y.records then return false end
    for i = 1, #x.records do
        if x.records[i] ~= y.records[i] then return false end
    end
    return true
end
lab.check(#lab.metadata_image(q.leader).records > 40, "the image holds the brokers, topics and partitions")
lab.check(same(q.leader, "ctl3"), "ctl3's image matches the leader's")
lab.check(same(q.leader, 103), "broker 103's image matches the leader's")
lab.check(same(q.leader, 101), "broker 101's image matches the leader's")
local p = lab.producer{ bootstrap = { 101 }, acks = "all" }
lab.check(p:send_many("t1", 30).acked == 30, "the cluster works on")
