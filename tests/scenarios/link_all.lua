-- lab.link{ nodes = {...} } sets every link among the nodes, both ways,
-- alike (servers in racks) as one fault, where a pair loop set twelve
-- links for four nodes, each a line of the event log; a misuse is an
-- error that says what to write instead.

lab.cluster{ zookeepers = 3, seed = 7 }
lab.check(lab.run_until(function() return lab.ensemble().serving end, 30000), "the ensemble serves")
local leader = lab.ensemble().leader
local c = lab.zk_session{ connect = { leader }, timeout_ms = 6000 }
lab.run_until(function() return c:state() == "CONNECTED" end, 10000)

lab.link{ nodes = { "zk1", "zk2", "zk3", c:name() }, delay_ms = 40 }
local t = lab.now()
c:create("/x", "1")
lab.run(400)
local pairs_seen, all40 = {}, true
for _, m in ipairs(lab.message_log(t)) do
  if m.delivered_ms then
    pairs_seen[m.from .. ">" .. m.to] = true
    if math.abs(m.delivered_ms - m.at_ms - 40) > 0.001 then all40 = false end
  end
end
local n = 0
for _ in pairs(pairs_seen) do n = n + 1 end
-- the client's request and answer, a PROPOSAL and an ACK each way
-- between the leader and each follower, the COMMITs
lab.check(all40 and n >= 6, ("every message of the write took 40 ms, over %d directed links"):format(n))

local function fails(fn, pattern, what)
  local ok, e = pcall(fn)
  lab.check(not ok and tostring(e):find(pattern, 1, true) ~= nil, what .. ": " .. tostring(e))
end
fails(function() lab.link{ nodes = { "zk1" }, delay_ms = 5 } end, "at least two nodes", "one node")
fails(function() lab.link{ nodes = { "zk1", "zk1" }, delay_ms = 5 } end, "names zk1 twice", "a node twice")
fails(function() lab.link{ nodes = { "zk1", "zk9" }, delay_ms = 5 } end, "unknown node 'zk9'", "an unknown node")
fails(function() lab.link{ nodes = { "zk1", "zk2" }, from = "zk1", delay_ms = 5 } end,
      "either from and to", "nodes with from")
fails(function() lab.link{ nodes = { "zk1", "zk2" }, both = true } end,
      "nodes sets every link both ways", "nodes with both")
fails(function() lab.link{ nodes = "zk1", delay_ms = 5 } end, "nodes must be a list", "nodes not a list")

-- a delay not given keeps each link's own: the client's links their
-- 40 ms, and a link from the leader set to 70 ms its 70
local other = lab.ensemble().servers[1].name == leader and lab.ensemble().servers[2].name
              or lab.ensemble().servers[1].name
lab.link{ from = leader, to = other, delay_ms = 70 }
lab.link{ nodes = { c:name(), leader, other }, drop = 0 }
local t2 = lab.now()
c:create("/y", "2")
lab.run(400)
local seen, kept, seen70, kept70 = 0, true, 0, true
for _, m in ipairs(lab.message_log(t2)) do
  if m.delivered_ms and (m.from == c:name() or m.to == c:name()) then
    seen = seen + 1
    kept = kept and math.abs(m.delivered_ms - m.at_ms - 40) < 0.001
  elseif m.delivered_ms and m.from == leader and m.to == other then
    seen70 = seen70 + 1
    kept70 = kept70 and math.abs(m.delivered_ms - m.at_ms - 70) < 0.001
  end
end
lab.check(seen >= 2 and kept, ("without delay_ms the client's links keep their 40 ms (%d messages)"):format(seen))
lab.check(seen70 >= 1 and kept70, ("and %s -> %s keeps its 70 ms (%d messages)"):format(leader, other, seen70))
