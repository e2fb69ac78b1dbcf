-- KRaft's first election (KIP-595; KafkaRaftClient, QuorumState,
-- CandidateState): three controllers start Unattached, each with an
-- election timeout of quorum.election.timeout.ms (1000) plus a random draw
-- below it (QuorumState.randomElectionTimeoutMs), so nobody stands before
-- 1000 ms and a leader comes before 2000 ms and a little. The winner
-- writes a LeaderChangeMessage at its epoch's start, and the high
-- watermark passes it once a majority fetched it.
lab.cluster{ mode = "kraft", controllers = 3, seed = 3 }
local function leader() return lab.quorum().leader end
lab.check(not lab.run_until(leader, 999), "no leader before the 1000 ms election timeout")
local ok = lab.run_until(leader, 1200)
lab.check(ok, "a leader by 2200 ms")
lab.run(1000)
local q = lab.quorum()
lab.check(q.epoch == 1, "the first election is epoch 1 (got " .. q.epoch .. ")")
lab.check(q.high_watermark == 1, "the leader's LeaderChangeMessage is committed: high watermark 1 (got " ..
          q.high_watermark .. ")")
local leaders, followers = 0, 0
for _, v in ipairs(q.voters) do
    if v.state == "Leader" then leaders = leaders + 1 end
    if v.state == "Follower" and v.leader_id == q.leader_id and v.epoch == 1 then followers = followers + 1 end
    lab.check(v.log_end_offset == 1 and v.lag == 0, v.name .. " holds the log, no lag")
end
lab.check(leaders == 1 and followers == 2, "one leader, two followers of it")
-- a world of one controller elects itself at its first timeout
lab.cluster{ mode = "kraft", controllers = 1 }
lab.check(lab.run_until(leader, 2000) and lab.quorum().leader == "ctl1", "a lone controller leads alone")
