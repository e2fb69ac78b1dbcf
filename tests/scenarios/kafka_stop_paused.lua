-- lab.stop of a broker that cannot finish its controlled shutdown (it is
-- paused: KafkaServer.controlledShutdown never runs) ends in a kill once
-- the stop outlives the longest the broker's own settings allow
-- (kafka_broker_stop_bound_us: its attempts, request.timeout.ms and
-- controlled.shutdown.retry.backoff.ms), not after a fixed minute; a
-- running broker's stop exits by itself at once.
lab.cluster{ zookeepers = 1, brokers = 3, seed = 4,
             config = { ["request.timeout.ms"] = 3000,
                        ["zookeeper.session.timeout.ms"] = 6000 } }
lab.check(lab.wait_brokers(), "three brokers registered")

local function up(id)
  for _, b in ipairs(lab.brokers()) do if b.id == id then return b.up end end
end

local t0 = lab.now()
lab.stop(101)
lab.check(not up(101) and lab.now() - t0 < 2000,
          "a running broker stops cleanly at once (" .. (lab.now() - t0) .. " ms)")

lab.pause(102)
t0 = lab.now()
lab.stop(102)
local took = lab.now() - t0
lab.check(not up(102), "the paused broker is down once lab.stop returns")
lab.check(took >= 10000 and took < 60000,
          "killed after the bound its settings give (" .. took .. " ms), not a fixed minute")
