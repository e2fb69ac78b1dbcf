-- The quorum.* settings (QuorumConfig) reach the controllers: with
-- quorum.election.timeout.ms = 300 the first leader comes in [300, 600)
-- ms (QuorumState.randomElectionTimeoutMs draws below the timeout, added
-- to it), and with quorum.fetch.timeout.ms = 800 a crashed leader is
-- replaced well before the default 2000 ms (FollowerState). Bad values
-- are errors.
lab.cluster{ mode = "kraft", seed = 2,
             config = { ["quorum.election.timeout.ms"] = 300, ["quorum.fetch.timeout.ms"] = 800 } }
local function leader() return lab.quorum().leader end
lab.check(not lab.run_until(leader, 299), "no leader before 300 ms")
lab.check(lab.run_until(leader, 300), "a leader before 600 ms")
lab.run(1000)
local old = lab.quorum()
local t0 = lab.now()
lab.kill(old.leader)
lab.check(lab.run_until(function() local q = lab.quorum() return q.leader and q.leader ~= old.leader end, 2000),
          "a new leader")
lab.check(lab.now() - t0 < 1500, "within the 800 ms fetch timeout and an election (took " ..
          (lab.now() - t0) .. " ms)")
local ok, err = pcall(lab.cluster, { mode = "kraft", config = { ["quorum.election.timeout.ms"] = 0 } })
lab.check(not ok and tostring(err):find("quorum.election.timeout.ms", 1, true), "0 ms is refused: " .. tostring(err))
