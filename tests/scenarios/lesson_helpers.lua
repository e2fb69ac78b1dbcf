-- The lesson helpers headless (lab/lua/lua_teach.c): a task is solved by
-- its solve() and what done() returned comes back; predictions are read
-- at the step's end against truth(); lab.ask answers itself; bad shapes
-- are errors that name the helper.
lab.say("lesson helpers")
lab.cluster{ zookeepers = 3, seed = 4 }
lab.run_until(function() return lab.ensemble().serving end, 20000)
local leader = lab.ensemble().leader
local t = lab.task{
  text = { en = "crash the leader", ko = "리더를 죽이세요" },
  hint = "k on the LEADING one",
  done = function() for _, s in ipairs(lab.ensemble().servers) do if not s.up then return s.name end end end,
  solve = function() lab.kill(leader) end,
}
lab.check(t.done and t.by == "script" and t.value == leader, "the task: solved by the script, done() gave the leader")
-- done() that only holds later: the world runs until it does
local t2 = lab.task{ text = "wait for a new leader", done = function() return lab.ensemble().serving end,
                     solve = function() end }
lab.check(t2.done and t2.took_ms > 0, ("the task waited %d ms for done()"):format(t2.took_ms))

local start = lab.now()
local p = lab.predict{ question = "who leads after a restart?", choices = { "zk1", "zk2", "zk3" },
                       answer = lab.ensemble().leader, truth = function() return lab.ensemble().leader end }
lab.check(p.answer >= 1 and p.answer <= 3 and not p.by_learner, "predict returns the script's choice")
local q = lab.predict{ question = "seconds run", unit = "s", answer = 2, tolerance = 0.01,
                       truth = function() return (lab.now() - start) / 1000 end }
lab.check(q.answer == 2, "predict returns the script's number")
lab.restart(leader)
lab.run(2000)
lab.say("next step: the two predictions above were checked before this line")

local a = lab.ask{ question = "3 servers: how many may fail?", choices = { "0", "1", "2" }, answer = "1",
                   why = "2 of 3 remain a majority" }
lab.check(a.right and a.answer == nil, "ask: the script's answer, no learner's")

local function err(f) local ok, e = pcall(f); return not ok and tostring(e) or "" end
lab.check(err(function() lab.task{ text = "x", done = 1, solve = function() end } end)
          :find("lab.task: done must be a function", 1, true), "a task's done must be a function")
lab.check(err(function() lab.task{ text = "x", done = function() end, solve = function() end, hnt = 1 } end)
          :find("did you mean 'hint'", 1, true), "a task's unknown field")
lab.check(err(function() lab.predict{ question = "q", choices = { "a", "b" }, answer = "c",
                                      truth = function() end } end)
          :find("answer must be one of the choices", 1, true), "a prediction's answer outside its choices")
lab.check(err(function() lab.ask{ question = "q", choices = { "a" }, answer = 1 } end)
          :find("from 2 to 9 choices", 1, true), "a question needs two choices at least")
