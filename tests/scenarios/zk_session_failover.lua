-- A session fails over when its server dies: the client moves to another
-- server of its connect string, keeps its session id, and its ephemeral
-- znode survives (the session did not expire).
local function serving() return lab.ensemble().serving end
lab.cluster{ zookeepers = 3, seed = 33 }
lab.check(lab.run_until(serving, 30000), "the ensemble serves")

local s = lab.zk_session{ connect = { "zk1", "zk2", "zk3" }, timeout_ms = 9000 }
lab.check(s:create("/me", "here", { ephemeral = true }) == "/me", "an ephemeral znode")
local id, first = s:id(), s:server()
lab.check(first ~= nil, "connected to " .. tostring(first))

lab.kill(first)
lab.check(lab.run_until(function()
  return s:state() == "CONNECTED" and s:server() ~= nil and s:server() ~= first
end, 30000), "the client fails over to another server")
lab.check(lab.run_until(serving, 30000), "the ensemble serves again")
lab.check(s:id() == id, "with the same session id")
local data = s:get("/me")
lab.check(data == "here", "its ephemeral znode survived (got " .. tostring(data) .. ")")
local o = lab.zk_session{}
lab.check(o:exists("/me") ~= nil, "another session sees it too")
