-- Lesson 5: why ZooKeeper ensembles have an odd number of servers.
-- The notes say ZooKeeper "is designed to run on an odd number of servers"
-- because "with an odd number the majority is easy to compute". The
-- learner finds the real reason by taking servers down until the ensemble
-- stops serving, for 3, 4 and 5 servers, predicting each time first: the
-- quorum is a strict majority, floor(n/2)+1, so 3 and 4 both tolerate one
-- failure and 5 tolerates two. Even sizes work; they just buy nothing.

lab.say{ en = "Lesson 5: why an odd number of servers",
         ko = "5강: 왜 서버를 홀수로 둘까" }

local function wait_serving(want, ms)
  return lab.run_until(function() return lab.ensemble().serving == want end, ms or 20000)
end

-- servers that cannot take part: crashed, paused or cut off
local function out_count()
  local n = 0
  for _, s in ipairs(lab.ensemble().servers) do
    if not s.up or s.paused or s.isolated then n = n + 1 end
  end
  return n
end

local STABLE_MS = 3000   -- a state held this long is not a re-election

-- Follows the learner taking servers down. done() holds once the ensemble
-- has not served for STABLE_MS (a crashed leader is replaced well within
-- it). w.served is the most servers out while it went on serving for
-- STABLE_MS, w.stopped how many were out when it stopped for good.
local function watcher()
  local w = { served = 0 }
  local since, count, count_since
  function w.done()
    local e, out, now = lab.ensemble(), out_count(), lab.now()
    if out ~= count then count, count_since = out, now end
    if e.serving then
      since = nil
      if now - count_since >= STABLE_MS and out > w.served then w.served = out end
      return nil
    end
    if out == 0 then since = nil; return nil end
    if not since then since, w.stopped = now, out end
    if now - since >= STABLE_MS then return w.stopped end
  end
  -- what the learner's own run showed, when it shows both sides of the
  -- line (served with k out, stopped with k+1); else what the quorum says
  function w.tolerated()
    if w.stopped and w.stopped == w.served + 1 then return w.served end
    local e = lab.ensemble()
    return e.size - e.quorum
  end
  return w
end

-- the script's way (headless, or n): one follower at a time, watching
local function solve_by_crashing(n)
  return function()
    for _ = 1, n do
      local e = lab.ensemble()
      for _, s in ipairs(e.servers) do
        if s.up and s.name ~= e.leader then lab.kill(s.name); break end
      end
      lab.run(STABLE_MS + 1000)
    end
  end
end

local counts = { { en = "none", ko = "0대" }, { en = "one", ko = "1대" },
                 { en = "two", ko = "2대" }, { en = "three", ko = "3대" } }

local function predict(size, w)
  lab.predict{
    question = { en = ("%s servers: how many may crash while the ensemble still serves?"):format(
                   size == 3 and "Three" or size == 4 and "Four" or "Five"),
                 ko = ("서버 %d대: 몇 대까지 죽어도 앙상블이 계속 서비스할까요?"):format(size) },
    choices = counts,
    answer = (size - 1) // 2 + 1,
    truth = function() return w.tolerated() + 1 end,
  }
end

-- (each lesson calls lab.task with it: the dashboard counts the calls)
local function take_down(size, w)
  return {
    text = { en = ("Crash servers one by one until the %d-server ensemble stops serving (Tab, k)."):format(size),
             ko = ("서버 %d대가 서비스를 멈출 때까지 한 대씩 죽이세요 (Tab, k)."):format(size) },
    hint = { en = "Tab moves '>' in the ENSEMBLE panel, k crashes (or :kill zk1). Its last line says serving or NO QUORUM; wait a few seconds.",
             ko = "Tab으로 앙상블 패널의 '>'를 옮기고 k로 죽입니다(또는 :kill zk1). 마지막 줄이 서비스 중인지 보고 몇 초 기다리세요." },
    done = w.done,
    solve = solve_by_crashing(size - (size // 2 + 1) + 1),
    within_ms = 120000,
  }
end

-- after the task: what the learner's crashes caused, checked
local function show_stop(size, w)
  local e = lab.ensemble()
  lab.check(not e.serving and w.stopped ~= nil and e.size - w.stopped < e.quorum,
            { en = ("%d servers with %d down stop serving: %d left is no majority of %d"):format(
                  size, w.stopped or 0, size - (w.stopped or 0), size),
              ko = ("서버 %d대 중 %d대가 죽으면 서비스를 멈춘다: 남은 %d대는 %d대의 과반수가 아니다"):format(
                  size, w.stopped or 0, size - (w.stopped or 0), size) })
  for _, s in ipairs(e.servers) do
    if s.up and not s.paused and not s.isolated then
      lab.check(s.state == "LOOKING", { en = s.name .. " is LOOKING: without a quorum nobody leads",
                  ko = s.name .. "은(는) LOOKING 상태: 쿼럼이 없으면 아무도 리더가 될 수 없다" })
      break
    end
  end
end

lab.cluster{ zookeepers = 3, seed = 1 }
lab.check(wait_serving(true), { en = "a 3-server ensemble elects a leader and serves",
            ko = "서버 3대 앙상블이 리더를 뽑고 서비스한다" })

local e = lab.ensemble()
lab.check(e.quorum == 2, { en = "the quorum of 3 is 2 (floor(3/2)+1)",
            ko = "3대의 쿼럼은 2대 (floor(3/2)+1)" })
lab.say{ en = "The notes: odd sizes because 'the majority is easy to compute'. Try it.",
         ko = "노트: 홀수면 '과반수를 쉽게 계산할 수 있다'. 확인해 봅시다." }
local w3 = watcher()
predict(3, w3)
lab.task(take_down(3, w3))
show_stop(3, w3)

lab.say{ en = "Bring one back: the majority returns, a leader is elected, service resumes.",
         ko = "한 대를 다시 살립니다. 과반수가 돌아오고 리더가 선출되어 서비스가 재개됩니다." }
local back
for _, s in ipairs(lab.ensemble().servers) do
  if not s.up then back = s.name; break end
end
-- the election takes a fraction of a second: slow the screen down for it
lab.slow{ factor = 20, ms = 1000 }
if back then lab.restart(back) else lab.heal() end
lab.check(wait_serving(true), { en = "with 2 of 3 up again the ensemble serves",
            ko = "3대 중 2대가 다시 살아나면 서비스한다" })

-- four servers: quorum 3, so it tolerates just one failure, like three
lab.say{ en = "Four servers, quorum 3: one more machine than three.",
         ko = "서버 4대, 쿼럼 3대: 3대보다 한 대 많습니다." }
lab.cluster{ zookeepers = 4, seed = 1 }
local w4 = watcher()
predict(4, w4)
local served4, quorum4 = wait_serving(true), lab.ensemble().quorum
lab.task(take_down(4, w4))
-- (checked after the task: at 80x24 the panel holds the step, the
-- question and the task, not more)
lab.check(served4, { en = "a 4-server ensemble serves",
            ko = "서버 4대 앙상블이 서비스한다" })
lab.check(quorum4 == 3, { en = "the quorum of 4 is 3 (floor(4/2)+1)",
            ko = "4대의 쿼럼은 3대 (floor(4/2)+1)" })
show_stop(4, w4)
lab.check(w4.stopped == 2, { en = "the 4th server bought nothing: two down stop four, as they stop three",
            ko = "네 번째 서버로 얻은 것이 없다: 3대와 마찬가지로 4대도 2대가 죽으면 멈춘다" })

-- five servers: quorum 3, two may fail
lab.say{ en = "Five servers: the quorum is still 3.",
         ko = "서버 5대: 쿼럼은 여전히 3대입니다." }
lab.cluster{ zookeepers = 5, seed = 1 }
local w5 = watcher()
predict(5, w5)
local served5 = wait_serving(true)
lab.task(take_down(5, w5))
lab.check(served5, { en = "a 5-server ensemble serves",
            ko = "서버 5대 앙상블이 서비스한다" })
show_stop(5, w5)
lab.check(w5.tolerated() == 2, { en = "5 servers served with 2 down: the 5th server bought a second failure",
            ko = "5대는 2대가 죽어도 서비스했다: 다섯 번째 서버가 장애 한 대를 더 견디게 해 주었다" })

lab.ask{
  question = { en = "Six servers: how many may fail while the ensemble still serves?",
               ko = "서버 6대: 몇 대까지 죽어도 앙상블이 계속 서비스할까요?" },
  choices = { { en = "two", ko = "2대" }, { en = "three", ko = "3대" }, { en = "four", ko = "4대" } },
  answer = 1,
  why = { en = "The quorum of 6 is 4 (a strict majority), so only 2 may fail: as many as with 5 servers.",
          ko = "6대의 쿼럼은 4대(과반수)이므로 장애는 2대까지만 견딥니다. 5대와 똑같습니다." },
}

lab.say{ en = "Summary: the quorum is a strict majority, floor(n/2)+1, odd or even. 3 and 4 tolerate 1 failure, 5 and 6 tolerate 2. Even sizes work; the extra server is one more machine to fail. So: 3, 5 or 7.",
         ko = "정리: 쿼럼은 홀짝과 상관없이 과반수, floor(n/2)+1입니다. 3대와 4대는 1대, 5대와 6대는 2대까지 견딥니다. 짝수도 동작하지만 늘린 한 대는 고장 날 기계만 늘립니다. 그래서 3, 5, 7대입니다." }
