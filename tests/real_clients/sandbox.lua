-- The world of `--sandbox --brokers 0` (three servers, seed 1), for
-- replaying a dashboard session recorded with --listen --trace FILE:
--   build/quorumlab --headless tests/real_clients/sandbox.lua --replay FILE
-- The trace's records bring back the real clients' bytes and the learner's
-- faults at their instants; its last record, where the session ended,
-- checks that the replayed state is the recorded one. An hour at most.
lab.cluster{ zookeepers = 3, brokers = 0 }
lab.run(3600000)
