-- Session expiry: a client holding an ephemeral znode is cut off; after
-- its timeout the leader expires the session, the ephemeral znode goes,
-- and another session's watch on it fires (NodeDeleted). When the link
-- comes back, the cut-off client learns that its session expired.
local function serving() return lab.ensemble().serving end
lab.cluster{ zookeepers = 3, seed = 21 }
lab.check(lab.run_until(serving, 30000), "the ensemble serves")

local owner = lab.zk_session{ timeout_ms = 6000 }
local other = lab.zk_session{ timeout_ms = 6000 }
lab.check(owner:create("/lock", "mine", { ephemeral = true }) == "/lock", "an ephemeral znode is created")
local st = other:exists("/lock")
lab.check(st and st.ephemeral_owner == owner:id(), "its ephemeralOwner is the owner's session")

local events = {}
lab.check(other:watch("/lock", function(ev, path) events[#events + 1] = ev .. " " .. path end),
          "another session watches it")
local kids = {}
lab.check(other:watch("/", function(ev, path) kids[#kids + 1] = ev end, { children = true }),
          "and watches the children of /")

lab.isolate(owner:name())
local t0 = lab.now()
lab.check(lab.run_until(function() return #events > 0 end, 30000), "the watch fires")
lab.check(events[1] == "NodeDeleted /lock", "with NodeDeleted /lock (got " .. tostring(events[1]) .. ")")
lab.check(lab.now() - t0 >= 6000, "not before the session timeout (" .. (lab.now() - t0) .. " ms)")
lab.check(lab.run_until(function() return #kids > 0 end, 1000) and kids[1] == "NodeChildrenChanged",
          "the child watch on / fires too (got " .. tostring(kids[1]) .. ")")
local v, err = other:exists("/lock")
lab.check(v == nil and err == "NONODE", "the ephemeral znode is gone")

lab.run(1000)
lab.check(#events == 1, "a watch is one-shot: it fired once")

lab.heal()
local got, why = owner:get("/")
lab.check(got == nil and why == "SESSIONEXPIRED", "the owner's next call gets SESSIONEXPIRED (got " .. tostring(got or why) .. ")")
lab.check(owner:state() == "EXPIRED", "its session state is EXPIRED")
