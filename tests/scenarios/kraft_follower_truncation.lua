-- A follower truncates a record the leader does not have (KafkaRaftClient.
-- handleFetchResponse's diverging epoch, ReplicatedLog.
-- validateOffsetAndEpoch, KafkaMetadataLog.truncateToEndOffset). Slow
-- links (300 ms one way) let us cut the first leader off before anybody
-- fetched its LeaderChangeMessage: its log is then [epoch 1] alone. The
-- other two elect a leader of a later epoch, whose log starts with its
-- own LeaderChangeMessage at offset 0. Healed, the old leader fetches
-- with lastFetchedEpoch 1 from offset 1; the leader answers with the
-- diverging epoch, and it cuts its log back to 0 and fetches the
-- leader's records in place of its own.
lab.cluster{ mode = "kraft", controllers = 3, seed = 6 }
local names = { "ctl1", "ctl2", "ctl3" }
for _, a in ipairs(names) do
    for _, b in ipairs(names) do
        if a ~= b then lab.link{ from = a, to = b, delay_ms = 300 } end
    end
end
local function voter(name)
    for _, v in ipairs(lab.quorum().voters) do if v.name == name then return v end end
end
lab.check(lab.run_until(function() return lab.quorum().leader end, 4000), "a leader")
local old = lab.quorum()
local v = voter(old.leader)
lab.check(v.log_end_offset == 1 and v.last_epoch == old.epoch and old.high_watermark == -1,
          old.leader .. " holds its uncommitted LeaderChangeMessage alone")
lab.isolate(old.leader)
lab.check(lab.run_until(function() local q = lab.quorum() return q.leader and q.leader ~= old.leader end, 10000),
          "the other two elect a leader")
local new = lab.quorum()
lab.check(voter(new.leader).log_end_offset >= 1 and voter(new.leader).last_epoch > old.epoch,
          new.leader .. "'s log ends in its own epoch " .. new.epoch)
lab.heal()
lab.check(lab.run_until(function()
    local o, l = voter(old.leader), voter(lab.quorum().leader)
    return o.state == "Follower" and o.log_end_offset == l.log_end_offset and o.last_epoch == l.last_epoch
end, 10000), old.leader .. " truncated its epoch-" .. old.epoch .. " record and holds the leader's log")
