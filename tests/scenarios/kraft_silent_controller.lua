-- KRaft mode: the active controller goes silent (isolated, or paused)
-- without resetting a connection. The other two elect a leader; the
-- brokers, observers of the metadata log, must find it by themselves:
-- the Fetch to the old leader times out (quorum.request.timeout.ms,
-- 2000 ms) and the observer asks a random voter instead, drawn anew at
-- each try (KafkaRaftClient.pollFollowerAsObserver, maybeSendAnyVoterFetch,
-- RequestManager.findReadyVoter); a voter's answer names the leader and
-- its epoch (maybeHandleCommonResponse). Their heartbeats then go to the
-- new active controller (RaftControllerNodeProvider), so none of these
-- healthy brokers is fenced and every partition keeps a leader. Before
-- the fix an observer kept asking the one voter it drew first, and the
-- new controller fenced every broker that had drawn the silent one.

local function fence_records(from)
  local n = 0
  for _, rec in ipairs(lab.metadata_log(200)) do
    if rec.offset >= from and rec.text:find("FenceBrokerRecord", 1, true) then n = n + 1 end
  end
  return n
end

local function log_end()
  local last = lab.metadata_log(1)[1]
  return last and last.offset + 1 or 0
end

local function every_broker_follows(leader)
  for _, b in ipairs(lab.brokers()) do
    if b.active_controller ~= leader then return false end
  end
  return true
end

local function one_run(seed, fault)
  lab.cluster{ mode = "kraft", brokers = 4, seed = seed }
  lab.wait_brokers()
  lab.create_topic{ name = "orders", partitions = 6, replication_factor = 3 }
  lab.run(2000)
  local old = lab.quorum().leader
  local from = log_end()
  local what = ("seed %d, %s %s:"):format(seed, fault, old)
  if fault == "isolate" then lab.isolate(old) else lab.pause(old) end
  local t0 = lab.now()
  local found = lab.run_until(function()
    local new = lab.quorum().leader
    return new ~= nil and new ~= old and lab.controller() == new and every_broker_follows(new)
  end, 9000)
  lab.check(found, ("%s every broker heartbeats to the new active controller %s (%d ms after the fault)")
            :format(what, tostring(lab.quorum().leader), lab.now() - t0))
  -- past broker.session.timeout.ms (9000 ms) after the new controller took over
  lab.run(20000 - (lab.now() - t0))
  local fenced = fence_records(from)
  local unfenced = 0
  for _, b in ipairs(lab.brokers()) do if b.registered then unfenced = unfenced + 1 end end
  lab.check(fenced == 0 and unfenced == 4,
            ("%s no broker fenced (%d FenceBrokerRecord, %d of 4 unfenced)"):format(what, fenced, unfenced))
  local led = 0
  for i = 0, 5 do if lab.partition("orders", i).leader then led = led + 1 end end
  lab.check(led == 6, ("%s every partition keeps a leader (%d of 6)"):format(what, led))
  if fault == "isolate" then lab.heal() else lab.resume(old) end
  lab.check(lab.converge(30000), what .. " healed: the cluster converges")
end

for _, seed in ipairs{ 1, 2, 3, 7, 42, 100 } do
  one_run(seed, "isolate")
  one_run(seed, "pause")
end
