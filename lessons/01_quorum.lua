-- Lesson 1: an ensemble and its quorum.
-- The notes say: a quorum is a strict majority; 3 servers survive 1 failure,
-- 5 survive 2, 4 survive only 1. Here each claim happens in front of you.

local function wait_serving(want, ms)
  return lab.run_until(function() return lab.ensemble().serving == want end, ms or 20000)
end

lab.say{ en = "Lesson 1: an ensemble and its quorum",
         ko = "1강: 앙상블과 쿼럼" }

lab.cluster{ zookeepers = 3, seed = 1 }
lab.check(wait_serving(true), { en = "a 3-server ensemble elects a leader and serves",
            ko = "서버 3대 앙상블이 리더를 뽑고 서비스한다" })
local e = lab.ensemble()
lab.say{ en = ("Three servers, quorum %d: %s leads, the others follow."):format(e.quorum, e.leader),
         ko = ("서버 3대, 쿼럼은 %d대입니다. %s이(가) 리더이고 나머지는 팔로워입니다."):format(e.quorum, e.leader) }
lab.check(e.quorum == 2, { en = "quorum of 3 is 2",
            ko = "3대의 쿼럼은 2대" })

-- take one follower down: 2 of 3 remain, still a majority. The learner
-- does it (headless, and when the learner passes with n, the script does)
local follower
for _, s in ipairs(e.servers) do
  if s.state == "FOLLOWING" then follower = s.name; break end
end
lab.say{ en = "Crash one follower: two of three are still a majority.",
         ko = "팔로워 한 대를 죽입니다. 3대 중 2대가 남으므로 여전히 과반수입니다." }
local function down_one()
  for _, s in ipairs(lab.ensemble().servers) do
    if not s.up then return s.name end
  end
end
local crash = lab.task{
  text = { en = ("Crash a follower yourself: select %s with Tab and press k (or type :kill %s)."):format(follower, follower),
           ko = ("팔로워를 직접 죽여 보세요: Tab 으로 %s 를 고르고 k 를 누르세요 (또는 :kill %s 입력)."):format(follower, follower) },
  hint = { en = "The ENSEMBLE panel marks the selected server with '>'; a FOLLOWING one will do. k crashes it.",
           ko = "ENSEMBLE 패널에서 '>' 표시가 고른 서버입니다. FOLLOWING 인 서버라면 됩니다. k 를 누르면 죽습니다." },
  done = down_one,
  solve = function() lab.kill(follower) end,
}
follower = crash.value or follower
lab.run(5000)
-- a learner who crashed the leader instead is told what their action caused
local said = { en = ("%s is down, 2 of 3 still serve"):format(follower),
               ko = ("%s이(가) 죽어도 3대 중 2대가 서비스한다"):format(follower) }
if follower == e.leader then
  said = { en = ("you crashed %s, the leader, not a follower: the other two noticed at once (its connections reset), elected a new leader, and as 2 of 3 still serve"):format(follower),
           ko = ("팔로워가 아니라 리더인 %s을(를) 죽였다: 나머지 두 대가 바로 알아채고(연결이 끊김) 새 리더를 뽑았고, 3대 중 2대라 계속 서비스한다"):format(follower) }
end
lab.check(lab.ensemble().serving, said)

-- a second one: 1 of 3 is no majority, the ensemble stops serving
local other
for _, s in ipairs(lab.ensemble().servers) do
  if s.up and s.name ~= lab.ensemble().leader then other = s.name end
end
lab.say{ en = "Crash a second server: one of three is no majority. Nobody serves now.",
         ko = "한 대를 더 죽입니다. 3대 중 1대는 과반수가 아니므로 이제 아무도 요청을 처리하지 않습니다." }
lab.kill(other)
lab.check(wait_serving(false), { en = "3 servers with 2 down stop serving",
            ko = "3대 중 2대가 죽으면 서비스를 멈춘다" })
local survivor = lab.ensemble()
for _, s in ipairs(survivor.servers) do
  if s.up then
    lab.check(s.state == "LOOKING", { en = s.name .. " is LOOKING: it cannot lead alone",
                ko = s.name .. "은(는) LOOKING 상태: 혼자서는 리더가 될 수 없다" })
  end
end

lab.say{ en = "Bring one back: the majority returns, a leader is elected, service resumes.",
         ko = "한 대를 다시 살립니다. 과반수가 돌아오고 리더가 선출되어 서비스가 재개됩니다." }
-- the election takes a fraction of a second: slow the screen down for it
lab.slow{ factor = 20, ms = 1000 }
lab.restart(follower)
lab.check(wait_serving(true), { en = "with 2 of 3 up again the ensemble serves",
            ko = "3대 중 2대가 다시 살아나면 서비스한다" })

-- four servers: quorum 3, so it tolerates just one failure, like three
lab.say{ en = "Now four servers. The quorum is 3, so four survive only one failure, just like three.",
         ko = "이번에는 4대입니다. 쿼럼이 3대이므로 4대도 3대처럼 한 대의 장애만 견딥니다." }
lab.cluster{ zookeepers = 4, seed = 1 }
-- the learner guesses before the new world runs; this step then kills one
-- server, then another
local tolerated = 0
local few = { { en = "none", ko = "0대" }, { en = "one", ko = "1대" }, { en = "two", ko = "2대" } }
lab.predict{
  question = { en = "Four servers: how many may crash while the ensemble still serves?",
               ko = "서버 4대: 몇 대까지 죽어도 앙상블이 계속 서비스할까요?" },
  choices = few,
  answer = 2,
  truth = function() return tolerated + 1 end,
}
lab.check(wait_serving(true), { en = "a 4-server ensemble serves",
            ko = "서버 4대 앙상블이 서비스한다" })
lab.check(lab.ensemble().quorum == 3, { en = "quorum of 4 is 3",
            ko = "4대의 쿼럼은 3대" })
lab.kill("zk1")
lab.run(5000)
if lab.check(lab.ensemble().serving, { en = "4 servers with 1 down still serve",
            ko = "4대 중 1대가 죽어도 서비스한다" }) then tolerated = 1 end
lab.kill("zk2")
lab.check(wait_serving(false), { en = "4 servers with 2 down stop serving: the 4th server bought nothing",
            ko = "4대 중 2대가 죽으면 서비스를 멈춘다: 네 번째 서버는 얻은 게 없다" })

-- five servers: quorum 3, two may fail
lab.say{ en = "Five servers: the quorum is 3, so two may fail.",
         ko = "5대라면 쿼럼은 3대이므로 두 대가 죽어도 됩니다." }
lab.cluster{ zookeepers = 5, seed = 1 }
lab.check(wait_serving(true), { en = "a 5-server ensemble serves",
            ko = "서버 5대 앙상블이 서비스한다" })
lab.kill("zk5")
lab.kill("zk4")
lab.run_until(function() return lab.ensemble().serving end, 20000)
lab.check(lab.ensemble().serving, { en = "5 servers with 2 down still serve",
            ko = "5대 중 2대가 죽어도 서비스한다" })
lab.kill("zk3")
lab.check(wait_serving(false), { en = "5 servers with 3 down stop serving",
            ko = "5대 중 3대가 죽으면 서비스를 멈춘다" })

lab.say{ en = "Why odd sizes? Not because even sizes fail: they work. An even size just adds a server that adds no tolerance (4 tolerates 1, like 3) while one more machine can fail.",
         ko = "왜 홀수일까요? 짝수가 동작하지 않아서가 아닙니다. 짝수도 동작합니다. 다만 짝수로 늘린 한 대는 견딜 수 있는 장애 수를 늘려 주지 못하고(4대도 3대처럼 1대만 견딤), 고장 날 수 있는 기계만 하나 더 늘릴 뿐입니다." }
