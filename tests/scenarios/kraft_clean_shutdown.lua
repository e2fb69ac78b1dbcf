-- A clean stop of the active controller (KafkaRaftClient.shutdown,
-- pollResigned, handleEndQuorumEpochRequest): it resigns and sends
-- EndQuorumEpoch naming its followers by descending fetch offset; the
-- first of them stands at once (strictExponentialElectionBackoffMs gives
-- it 0 ms), so a new leader comes in milliseconds, not after the 2000 ms
-- fetch timeout a crash costs; the old one exits once the epoch moved.
lab.cluster{ mode = "kraft", controllers = 3, seed = 4 }
lab.check(lab.run_until(function() return lab.quorum().leader end, 3000), "a leader")
lab.run(1000)
local old = lab.quorum()
local t0 = lab.now()
lab.stop(old.leader)
local q = lab.quorum()
lab.check(q.leader and q.leader ~= old.leader and q.epoch == old.epoch + 1,
          "a new leader of the next epoch when the stop returns (" .. tostring(q.leader) .. ")")
lab.check(lab.now() - t0 < 200, "within 200 ms (took " .. (lab.now() - t0) .. " ms)")
for _, v in ipairs(q.voters) do
    if v.name == old.leader then lab.check(not v.up, old.leader .. " has exited") end
end
-- a follower's clean stop just exits
local f
for _, v in ipairs(q.voters) do if v.up and v.name ~= q.leader then f = v.name end end
lab.stop(f)
lab.run(100)
lab.check(lab.quorum().leader == q.leader, "a follower's stop leaves the leader alone")
