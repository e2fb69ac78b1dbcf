-- The client keeps one set of watchers per path and event type
-- (ZKWatchManager: dataWatches, existWatches, childWatches map a path to a
-- Set<Watcher>, and materialize() gathers an event's watchers into one
-- set): the same watcher registered twice on a path is called once per
-- event, and so is one registered as data and child watch when the node
-- is deleted. Different watchers on the same path each run.
lab.cluster{ zookeepers = 3, seed = 2 }
lab.check(lab.run_until(function() return lab.ensemble().serving end, 30000), "serving")
local s = lab.zk_session{ timeout_ms = 6000 }
s:create("/w", "0")
local calls, other = 0, 0
local function fn(ev, path) calls = calls + 1 end
lab.check(s:watch("/w", fn), "a data watch on /w")
lab.check(s:watch("/w", fn), "the same function again on /w")
s:watch("/w", function() other = other + 1 end)
s:set("/w", "1")
lab.run(100)
lab.check(calls == 1, "the twice-set watcher ran once (ran " .. calls .. " times)")
lab.check(other == 1, "another watcher on /w ran too (" .. other .. ")")
s:set("/w", "2")
lab.run(100)
lab.check(calls == 1, "one-shot: not again without a new watch (" .. calls .. ")")

-- data and child watch, same function: NodeDeleted reaches it once
calls = 0
local seen = {}
local function rec(ev, path) calls = calls + 1; seen[#seen + 1] = ev end
s:watch("/w", rec)
s:watch("/w", rec, { children = true })
s:delete("/w")
lab.run(100)
lab.check(calls == 1 and seen[1] == "NodeDeleted",
          "data + child watch: NodeDeleted once (" .. calls .. " calls: " .. table.concat(seen, ",") .. ")")
