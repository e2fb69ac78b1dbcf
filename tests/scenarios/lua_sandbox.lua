-- The sandbox: scenario scripts get no os, io, package loaders, dofile,
-- loadfile or binary chunks; math.random follows the seed; pairs walks
-- keys in a fixed order; bad arguments are clear errors, not crashes.
lab.check(os == nil, "no os library (os.execute, os.exit, os.time)")
lab.check(io == nil, "no io library (io.popen, writable io.open)")
lab.check(package == nil, "no package library (no C modules)")
lab.check(dofile == nil and loadfile == nil, "no dofile or loadfile")
lab.check(require("lab") == lab, "require('lab') gives the lab module")
lab.check(not pcall(require, "os"), "require of anything else is refused")
local bin = string.dump(function() return 1 end)
local f, err = load(bin)
lab.check(f == nil and tostring(err):find("binary"), "binary chunks are refused: " .. tostring(err))
lab.check(load("return 6 * 7")() == 42, "text chunks still load")

-- math.random is seeded from the run, so it repeats
math.randomseed(7)
local a = { math.random(100), math.random(100), math.random() }
math.randomseed(7)
local b = { math.random(100), math.random(100), math.random() }
lab.check(a[1] == b[1] and a[2] == b[2] and a[3] == b[3], "math.random repeats for one seed")
lab.check(math.random(5, 5) == 5 and not pcall(math.random, 3, 1), "math.random checks its interval")

-- pairs is in a fixed order: numbers, then strings sorted
local t = { zeta = 1, alpha = 2, [3] = "c", mid = 3, [1] = "a" }
local keys = {}
for k in pairs(t) do keys[#keys + 1] = tostring(k) end
lab.check(table.concat(keys, ",") == "1,3,alpha,mid,zeta", "pairs order: " .. table.concat(keys, ","))

-- errors are Lua errors with a message, never a crash
local function fails(fn, pattern, what)
  local ok, e = pcall(fn)
  lab.check(not ok and tostring(e):find(pattern, 1, true) ~= nil, what .. ": " .. tostring(e))
end
fails(function() lab.ensemble() end, "call lab.cluster", "no world yet")
fails(function() lab.cluster{ zookeepers = 1e9 } end, "zookeepers must be 1 to 15", "absurd size")
fails(function() lab.cluster{ zookeepers = 2.5 } end, "must be an integer", "fractional size")
fails(function() lab.cluster{ zookeeper = 3 } end, "unknown field 'zookeeper'", "a typo in a field")
fails(function() lab.cluster{ config = { tickTime = -1 } } end, "tickTime must be", "bad tickTime")
fails(function() lab.cluster{ config = { tickTim = 1 } } end, "unknown setting 'tickTim' (did you mean 'tickTime'?)", "a typo in config")
lab.cluster{ zookeepers = 3 }
fails(function() lab.kill("zk9") end, "unknown node 'zk9'", "unknown node")
fails(function() lab.kill({}) end, "node name or number expected", "wrong type")
fails(function() lab.kill(101) end, "unknown node '101' (servers zk1..zk3, no brokers)", "no brokers yet")
fails(function() lab.kill(3) end, "unknown node '3'", "a bare number is a broker id, not zk3")
fails(function() lab.run(-5) end, "milliseconds", "negative time")
fails(function() lab.run("soon") end, "number expected", "time as a string")
fails(function() lab.split({ "zk1" }, { "zk1" }) end, "both sides", "a node on both sides")
fails(function() lab.link{ from = "zk1", to = "zk2", drop = 2 } end, "drop must be", "drop above 1")
fails(function() lab.zk_session{ connect = { "zk7" } } end, "unknown node 'zk7'", "session to an unknown server")
fails(function() lab.zk_session{ timeout_ms = 0 } end, "timeout_ms", "zero session timeout")
local s = lab.zk_session{}
fails(function() s:get("no-slash") end, "not a valid znode path", "bad path")
fails(function() s.get(42, "/") end, "lab.zk_session expected", "method on a wrong object")
lab.cluster{ zookeepers = 1 }
fails(function() s:get("/") end, "world that is gone", "a session of a replaced world")
fails(function() lab.say(nil) end, "string expected", "say without text")
fails(function() while true do end end, "no simulated time passing", "an endless loop")
fails(function() local t, mb = {}, ("x"):rep(1 << 20) for i = 1, 1e6 do t[i] = mb .. i end end,
      "not enough memory", "runaway memory")
lab.check(lab.run_until(function() return lab.ensemble().serving end, 10000),
          "the world still works after all that")
