-- The active controller crashes (FollowerState.hasFetchTimeoutExpired,
-- KafkaRaftClient.pollFollowerAsVoter): its followers hear nothing for
-- quorum.fetch.timeout.ms (2000) after their last fetch answer, stand as
-- candidates of the next epoch, and one leads. The crashed one restarts
-- as ResignedState of its old epoch (QuorumState.initialize: a leader
-- never leads its old epoch again) and then follows the new leader.
lab.cluster{ mode = "kraft", controllers = 3, seed = 8 }
lab.check(lab.run_until(function() return lab.quorum().leader end, 3000), "a leader")
lab.run(1000)
local old = lab.quorum()
lab.kill(old.leader)
-- the last fetch answer came at most the 500 ms fetch wait before the crash
local early = lab.run_until(function() local q = lab.quorum() return q.leader and q.leader ~= old.leader end, 1400)
lab.check(not early, "no new leader before the 2000 ms fetch timeout (1500 ms at least)")
lab.check(lab.run_until(function() local q = lab.quorum() return q.leader and q.leader ~= old.leader end, 3000),
          "a new leader after the fetch timeout")
local q = lab.quorum()
lab.check(q.epoch > old.epoch, "in a higher epoch (" .. old.epoch .. " -> " .. q.epoch .. ")")
lab.restart(old.leader)
lab.run(3000)
q = lab.quorum()
for _, v in ipairs(q.voters) do
    if v.name == old.leader then
        lab.check(v.state == "Follower" and v.leader_id == q.leader_id,
                  old.leader .. " restarted follows " .. q.leader .. " (" .. v.state .. ")")
        lab.check(v.lag == 0, "and has caught up (lag " .. tostring(v.lag) .. ")")
    end
end
