-- s:multi and s:sync, as ZooKeeper 3.8 gives them.
-- multi (PrepRequestProcessor.pRequest, DataTree.processTxn, MultiResponse):
-- atomic, one transaction and so one zxid, failed or not; when an op
-- fails, the ops before it report OK, it reports its error, the ops after
-- it RUNTIMEINCONSISTENCY, and nothing is applied.
-- sync (FollowerRequestProcessor, Leader.processSync): a follower sends the
-- sync to the leader, which answers after the COMMITs of what it had
-- proposed, so a read after sync on a lagging follower sees the latest write.
lab.cluster{ zookeepers = 3, seed = 4 }
lab.check(lab.run_until(function() return lab.ensemble().serving end, 30000), "serving")
local leader = lab.ensemble().leader
local s = lab.zk_session{ connect = { leader }, timeout_ms = 6000 }
s:create("/m", "")
local before = s:create("/z1") and s:exists("/z1").czxid

local r, err, res = s:multi{
  { op = "create", path = "/m/a", data = "1" },
  { op = "create", path = "/m/b" },
  { op = "delete", path = "/nope" },
  { op = "create", path = "/m/c" },
}
lab.check(r == nil and err == "NONODE", "a failing multi gives its first error (got " .. tostring(err) .. ")")
local got = {}
for i, x in ipairs(res or {}) do got[i] = x.err end
lab.check(table.concat(got, ",") == "OK,OK,NONODE,RUNTIMEINCONSISTENCY",
          "per-op results OK, OK, NONODE, RUNTIMEINCONSISTENCY (got " .. table.concat(got, ",") .. ")")
lab.check(s:exists("/m/a") == nil and s:exists("/m/b") == nil, "nothing was applied")
s:create("/z2")
lab.check(s:exists("/z2").czxid == before + 2, "the failed multi used one zxid (as a failed write does)")

local ok = s:multi{
  { op = "create", path = "/m/a", data = "1" },
  { op = "set", path = "/m", data = "v", version = 0 },
  { op = "check", path = "/m", version = 1 },
  { op = "create", path = "/m/s-", sequential = true },
}
lab.check(ok ~= nil, "a multi whose ops all hold")
lab.check(ok and ok[1].path == "/m/a" and ok[4].path == "/m/s-0000000001",
          "creates report their paths (" .. tostring(ok and ok[4].path) .. ")")
lab.check(ok and ok[2].stat.version == 1 and ok[3].err == "OK", "set reports its stat, check OK")
local a = s:exists("/m/a")
lab.check(a and a.czxid == s:exists("/m").mzxid, "every op of the multi has the same zxid")
local _, e2 = s:multi{ { op = "check", path = "/m", version = 7 } }
lab.check(e2 == "BADVERSION", "check fails on a version mismatch (" .. tostring(e2) .. ")")

-- sync: a follower that lags (its link from the leader slowed to 300 ms)
local slow
for i = 1, 3 do if "zk" .. i ~= leader then slow = "zk" .. i; break end end
local f = lab.zk_session{ connect = { slow }, timeout_ms = 6000 }
lab.check(f:get("/m") == "v", "the follower has /m")
lab.link{ from = leader, to = slow, delay_ms = 300 }
s:set("/m", "new")
lab.check(f:get("/m") == "v", "right after the write the lagging follower still reads the old value")
local t0 = lab.now()
lab.check(f:sync("/m") == true, "sync succeeds")
local waited = lab.now() - t0
lab.check(f:get("/m") == "new", "after sync it reads the new value")
lab.check(waited >= 300, "sync's answer came through the leader (" .. waited .. " ms)")
lab.heal()
local o = lab.zk_session{ connect = { leader }, timeout_ms = 6000 }
lab.check(o:sync("/m") == true, "sync on the leader itself")
