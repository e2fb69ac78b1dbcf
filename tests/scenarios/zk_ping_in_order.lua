-- Pings are answered in order, behind the session's pending requests
-- (FinalRequestProcessor answers a session's requests in order, and the
-- CommitProcessor holds a ping behind the session's uncommitted write).
-- A client that wrote on a follower cut off from the others therefore
-- hears nothing for its read timeout (two thirds of a 6 s session, 4 s),
-- drops the connection with CONNECTIONLOSS (a real 3.8 ensemble: after 3.7
-- to 4.1 s) and reconnects to a server that serves (real: 1.1 to 1.6 s
-- later), keeping its session. Answering pings at once instead kept the
-- client on the cut server until it stopped serving (8.75 s).
lab.cluster{ zookeepers = 3, seed = 1 }
lab.check(lab.run_until(function() return lab.ensemble().serving end, 30000), "serving")
local leader = lab.ensemble().leader
local followers = {}
for i = 1, 3 do
  if "zk" .. i ~= leader then followers[#followers + 1] = "zk" .. i end
end
local s = lab.zk_session{ connect = followers, timeout_ms = 6000 }
lab.check(s:create("/a", "1") == "/a", "a write through a follower")
local cut = s:server()
lab.check(cut ~= leader, "the session is on follower " .. tostring(cut))
local others = {}
for i = 1, 3 do
  if "zk" .. i ~= cut then others[#others + 1] = "zk" .. i end
end
-- idle for 2.1 s: the client pinged once (at a third of the timeout) and
-- heard its pong just before the cut, as in the real runs
lab.run(2100)
local id = s:id()
lab.split({ cut }, others)
local t0 = lab.now()
local v, err = s:create("/b", "2")
local dt = lab.now() - t0
lab.say(string.format("the write on %s failed with %s after %.3f s", cut, tostring(err), dt / 1000))
lab.check(v == nil and err == "CONNECTIONLOSS", "the stuck write gives CONNECTIONLOSS (got " .. tostring(v or err) .. ")")
lab.check(dt >= 3500 and dt <= 4000, string.format("within the 4 s read timeout, not when %s stops serving (%.3f s)", cut, dt / 1000))
local t1 = lab.now()
lab.check(lab.run_until(function() return s:state() == "CONNECTED" end, 10000), "the client reconnects")
local back = (lab.now() - t1) / 1000
lab.say(string.format("reconnected to %s %.3f s later", tostring(s:server()), back))
lab.check(s:server() ~= cut and back <= 2.0, "to a server that serves, within 2 s")
lab.check(s:id() == id, "with the same session")
lab.check(s:exists("/b") == nil, "the write never reached the leader")
lab.check(s:create("/c", "3") == "/c", "and writes work again")
