-- Facts measured on a real ZooKeeper 3.8.0 ensemble on loopback (see
-- docs/real-zookeeper-checks.md and scripts/real-zk-ensemble.sh); the lab must
-- show the same numbers.
local function hex(z) return string.format("0x%x", z) end
local function serving() return lab.ensemble().serving end
local function server(name)
  for _, s in ipairs(lab.ensemble().servers) do if s.name == name then return s end end
end

lab.cluster{ zookeepers = 3, seed = 3 }
lab.check(lab.run_until(serving, 30000), "3 fresh servers elect a leader")
lab.check(lab.ensemble().leader == "zk3", "equal (empty) logs: the highest id, zk3, leads")
lab.check(server("zk3").zxid == 0x100000000,
          "the first leader's zxid is 0x100000000 (got " .. hex(server("zk3").zxid) .. ")")
-- Real `srvr` on the followers: Zxid 0x0 until the first transaction
-- (lastProcessedZxid: only Leader.lead raises it to the new epoch's zxid)
lab.run(3000)
lab.check(server("zk1").zxid == 0 and server("zk2").zxid == 0,
          "the followers' zxid stays 0x0 before any transaction (got " .. hex(server("zk1").zxid)
          .. ", " .. hex(server("zk2").zxid) .. ")")

-- Real: a session's creation and its close are transactions too, and so is
-- every failed write (the leader logs an error txn for it).
local s = lab.zk_session{ connect = { "zk1" }, timeout_ms = 30000 }
lab.check(s:create("/p", "x") == "/p", "create /p")
lab.check(server("zk1").zxid == 0x100000002, "the follower's zxid follows its transactions (got "
          .. hex(server("zk1").zxid) .. ")")
local _, st = s:get("/p")
lab.check(st.czxid == 0x100000002, "createSession took 0x100000001, so /p is 0x100000002 (got " .. hex(st.czxid) .. ")")
local ok, err = s:create("/p", "again")
lab.check(ok == nil and err == "NODEEXISTS", "a second create /p fails with NODEEXISTS")
ok, err = s:delete("/nope")
lab.check(ok == nil and err == "NONODE", "delete of a missing node fails with NONODE")
st = s:set("/p", "y")
lab.check(st and st.mzxid == 0x100000005,
          "the two failed writes used 0x100000003 and 0x100000004: the set is 0x100000005 (got "
          .. (st and hex(st.mzxid) or "nil") .. ")")

-- Real: the sequential suffix counts the creations under the parent (a
-- delete does not advance it), while cversion counts creations and
-- deletions alike.
lab.check(s:create("/p/n-", "", { sequential = true }) == "/p/n-0000000000", "first sequential child: n-0000000000")
s:create("/p/c", ""); s:delete("/p/c")
lab.check(s:create("/p/n-", "", { sequential = true }) == "/p/n-0000000002",
          "after a create and a delete the suffix is 0000000002 (creations only)")
st = s:exists("/p")
lab.check(st.cversion == 4, "cversion counts the delete too: 4 (got " .. st.cversion .. ")")
ok, err = s:create("/p/e", "", { ephemeral = true })
ok, err = s:create("/p/e/x", "")
lab.check(ok == nil and err == "NOCHILDRENFOREPHEMERALS", "an ephemeral cannot have children")
s:close()

-- Real: kill -9 the leader; the others see the connection reset and elect
-- zk2 about 0.2 s later (election 211-224 ms in the logs), in epoch 2; the
-- first session of the epoch is 0x200000001 and its first write 0x200000002.
lab.run(1000)
local t0 = lab.now()
lab.kill("zk3")
lab.check(lab.run_until(serving, 30000), "a new leader after the crash")
local e = lab.ensemble()
lab.check(e.leader == "zk2" and e.epoch == 2, "zk2 leads in epoch 2 (got " .. tostring(e.leader) .. ", " .. e.epoch .. ")")
lab.check(lab.now() - t0 < 1000, "within a second of the crash (took " .. (lab.now() - t0) .. " ms)")
lab.check(server("zk2").zxid == 0x200000000, "the new leader's zxid is 0x200000000 (got " .. hex(server("zk2").zxid) .. ")")
local s2 = lab.zk_session{ connect = { "zk2" }, timeout_ms = 30000 }
s2:create("/e2", "")
_, st = s2:get("/e2")
lab.check(st.czxid == 0x200000002, "first write of epoch 2 is 0x200000002 (got " .. hex(st.czxid) .. ")")
s2:close()

-- Real: with tickTime 2000, 1000 ms is negotiated up to 4000 and 100000
-- down to 40000; a killed client's ephemeral goes when the leader expires
-- the session, at most one timeout (rounded up to a tick) after the kill.
local a = lab.zk_session{ connect = { "zk1" }, timeout_ms = 1000 }
local b = lab.zk_session{ connect = { "zk2" }, timeout_ms = 100000 }
lab.check(a:create("/eph1", "", { ephemeral = true }) == "/eph1", "ephemeral /eph1")
lab.check(b:create("/eph2", "", { ephemeral = true }) == "/eph2", "ephemeral /eph2")
lab.check(a:timeout() == 4000, "1000 ms requested, 4000 negotiated (got " .. a:timeout() .. ")")
lab.check(b:timeout() == 40000, "100000 ms requested, 40000 negotiated (got " .. b:timeout() .. ")")
local o = lab.zk_session{ connect = { "zk1" }, timeout_ms = 30000 }
lab.run(3000)
t0 = lab.now()
lab.kill(a:name()); lab.kill(b:name())
local gone1, gone2
for _ = 1, 500 do
  lab.run(100)
  if not gone1 and not o:exists("/eph1") then gone1 = lab.now() - t0 end
  if not gone2 and not o:exists("/eph2") then gone2 = lab.now() - t0 break end
end
lab.check(gone1 and gone1 > 1000 and gone1 <= 4000 + 2000 + 200,
          "/eph1 lingers about the 4 s timeout (gone after " .. tostring(gone1) .. " ms)")
lab.check(gone2 and gone2 > 20000 and gone2 <= 40000 + 2000 + 200,
          "/eph2 lingers up to the 40 s timeout (gone after " .. tostring(gone2) .. " ms)")
