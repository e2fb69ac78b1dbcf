-- A leader cut off from the other controllers (LeaderState.
-- timeUntilCheckQuorumExpires, Kafka 3.7+): it keeps saying Leader until
-- no majority has fetched from it for 1.5 x quorum.fetch.timeout.ms
-- (3000 ms), then resigns. The majority side elects a leader of a higher
-- epoch meanwhile, so two nodes say Leader for a while, never in the same
-- epoch. After the heal the old leader follows the new one.
lab.cluster{ mode = "kraft", controllers = 3, seed = 5 }
lab.check(lab.run_until(function() return lab.quorum().leader end, 3000), "a leader")
lab.run(500)
local old = lab.quorum()
lab.isolate(old.leader)
local function state_of(name)
    for _, v in ipairs(lab.quorum().voters) do if v.name == name then return v end end
end
lab.run(2400)
lab.check(state_of(old.leader).state == "Leader", old.leader .. " still says Leader 2.4 s after the cut")
lab.check(lab.run_until(function() return state_of(old.leader).state == "Resigned" end, 1000),
          old.leader .. " resigns about 3 s after the cut")
lab.check(lab.run_until(function() local q = lab.quorum() return q.leader and q.leader ~= old.leader end, 5000),
          "the majority side has a leader")
local q = lab.quorum()
lab.check(q.epoch > old.epoch, "of a higher epoch (" .. old.epoch .. " -> " .. q.epoch .. ")")
lab.heal()
lab.check(lab.run_until(function()
    local v = state_of(old.leader)
    local now = lab.quorum()
    return now.leader and v.state == "Follower" and v.leader_id == now.leader_id and v.lag == 0
end, 10000), old.leader .. " follows the leader again after the heal")
