-- KRaft mode's broker liveness settings, as KafkaConfig names them:
-- broker.session.timeout.ms (9000; the active controller's
-- BrokerHeartbeatManager fences a broker it has not heard from for that
-- long) and broker.heartbeat.interval.ms (2000; BrokerLifecycleManager's
-- period). A setting of the other mode is refused, not ignored: a KRaft
-- world has no ZooKeeper session, so zookeeper.session.timeout.ms there
-- would silently change nothing.
local function fence_time(config)
    lab.cluster{ mode = "kraft", controllers = 3, brokers = 3, seed = 3, config = config }
    lab.check(lab.wait_brokers(), "every broker registered and unfenced")
    lab.create_topic{ name = "t", partitions = 3, replication_factor = 3 }
    lab.run(3000)
    local dead = lab.partition("t", 0).leader
    local t0 = lab.now()
    lab.kill(dead)
    lab.run_until(function() return lab.partition("t", 0).leader ~= dead end, 30000)
    return lab.now() - t0
end

-- heartbeats every 2 s, session 9 s: fenced 7 to 9 s after the crash
local took = fence_time(nil)
lab.check(took > 7000 and took <= 9100, "defaults: fenced " .. took .. " ms after the crash (7-9 s)")

-- session 4 s: 2 to 4 s after the crash
took = fence_time{ ["broker.session.timeout.ms"] = 4000 }
lab.check(took > 2000 and took <= 4100,
          "broker.session.timeout.ms 4000: fenced " .. took .. " ms after the crash (2-4 s)")

-- heartbeats every 500 ms, session 9 s: 8.5 to 9 s after the crash
took = fence_time{ ["broker.heartbeat.interval.ms"] = 500 }
lab.check(took > 8500 and took <= 9100,
          "broker.heartbeat.interval.ms 500: fenced " .. took .. " ms after the crash (8.5-9 s)")

lab.check(lab.ensemble() == nil, "a KRaft world has no ensemble: lab.ensemble() is nil")

local function refused(t, want, what)
    local ok, err = pcall(lab.cluster, t)
    lab.check(not ok and tostring(err):find(want, 1, true) ~= nil, what .. ": " .. tostring(err))
end
refused({ mode = "kraft", config = { ["zookeeper.session.timeout.ms"] = 6000 } },
        "broker.session.timeout.ms", "zookeeper.session.timeout.ms in KRaft points to the KRaft setting")
refused({ mode = "kraft", zookeepers = 5 }, "zookeepers is for ZooKeeper mode", "zookeepers in KRaft")
refused({ mode = "kraft", config = { tickTime = 500 } }, "tickTime is for ZooKeeper mode",
        "an ensemble setting in KRaft")
refused({ brokers = 1, controllers = 3 }, "controllers is for KRaft mode", "controllers in ZooKeeper mode")
refused({ brokers = 1, config = { ["broker.session.timeout.ms"] = 4000 } },
        'add mode = "kraft"', "a KRaft broker setting in ZooKeeper mode")
refused({ config = { ["quorum.fetch.timeout.ms"] = 100 } }, "quorum.fetch.timeout.ms is for KRaft mode",
        "a quorum setting in ZooKeeper mode")
