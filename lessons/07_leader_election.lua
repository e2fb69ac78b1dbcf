-- Lesson 7: who becomes the ensemble's leader, and how fast a lost leader
-- is noticed. The notes draw server 2 in the middle as the leader, with 1
-- and 3 following: leadership is no position, it is elected, and votes are
-- compared by (epoch, last zxid, server id) (FastLeaderElection.totOrderPredicate).
-- The followers notice a crashed leader at once (its connections reset),
-- but a dead machine or a cut link only after syncLimit x tickTime
-- (Follower's socket read timeout): the learner does both.

lab.say{ en = "Lesson 7: who becomes the leader",
         ko = "7강: 누가 리더가 되는가" }

local function leader_serving(ms)
  return lab.run_until(function()
    local e = lab.ensemble()
    return e.leader ~= nil and e.serving
  end, ms or 20000)
end

local function server(name)
  for _, s in ipairs(lab.ensemble().servers) do
    if s.name == name then return s end
  end
end

local names = { "zk1", "zk2", "zk3" }

lab.cluster{ zookeepers = 3, seed = 2 }
lab.predict{
  question = { en = "The notes draw server 2 as the leader. Three fresh servers: which one will lead?",
               ko = "노트 그림에는 2번 서버가 리더입니다. 새 서버 3대 중 누가 리더가 될까요?" },
  choices = names,
  answer = 3,
  truth = function() return lab.ensemble().leader end,
}
-- the election takes 0.2 s: slow the screen down to watch the votes
lab.slow{ factor = 20, ms = 1000 }
lab.check(leader_serving(), { en = "the ensemble elects a leader",
            ko = "앙상블이 리더를 뽑는다" })

local e = lab.ensemble()
lab.say{ en = ("Each server votes for itself, then adopts any better vote: higher epoch, then newer zxid, then higher id. Logs are empty: %s wins, epoch %d."):format(e.leader, e.epoch),
         ko = ("서버는 먼저 자신에게 투표하고, 더 나은 표로 바꿉니다: 에포크, 다음 zxid, 다음 id가 큰 쪽. 로그가 비었으니 %s이(가) 이깁니다(에포크 %d)."):format(e.leader, e.epoch) }
lab.check(e.leader == "zk3", { en = "with equal logs the highest id (zk3) leads",
            ko = "로그가 같으면 id가 가장 큰 zk3이 리더가 된다" })
lab.check(e.epoch == 1, { en = "a fresh ensemble's first leader has epoch 1",
            ko = "새 앙상블의 첫 리더는 에포크 1" })

-- a write, so the logs carry a transaction
local s = lab.zk_session{ connect = { "zk1", "zk2" }, timeout_ms = 6000 }
lab.check(s:create("/lesson", "hello") == "/lesson", { en = "a write is committed by the quorum",
            ko = "쿼럼이 쓰기를 커밋한다" })
s:close()

lab.say{ en = "Crash the leader: the operating system resets its connections, so the followers notice at once.",
         ko = "리더를 죽여 봅니다. 운영체제가 연결을 끊으므로 팔로워들이 바로 알아챕니다." }
local crashed_at
local crash = lab.task{
  text = { en = "Crash the leader zk3 (Tab to it, k; or :kill zk3).",
           ko = "리더 zk3을(를) 죽이세요 (Tab으로 골라 k, 또는 :kill zk3)." },
  hint = { en = "zk3 is the LEADING line of the ENSEMBLE panel; '>' marks the selected server.",
           ko = "앙상블 패널에서 LEADING인 줄이 zk3입니다. '>' 표시가 고른 서버입니다." },
  done = function()
    local z = server("zk3")
    if not z.up then crashed_at = crashed_at or lab.now(); return true end
  end,
  solve = function() lab.kill("zk3") end,
}
lab.check(leader_serving(), { en = "a new leader is elected",
            ko = "새 리더가 선출된다" })
e = lab.ensemble()
local took = lab.now() - (crashed_at or crash.at_ms)
lab.check(e.leader == "zk2", { en = ("zk2, the highest id left, leads %d ms after the crash"):format(took),
            ko = ("남은 서버 중 id가 가장 큰 zk2가 크래시 %d ms 뒤 리더가 된다"):format(took) })
lab.check(took < 2000, { en = "the followers noticed the crash at once: a new leader within 2 s",
            ko = "팔로워들이 크래시를 바로 알아챘다: 2초 안에 새 리더" })
lab.check(e.epoch == 2, { en = "each election bumps the epoch: now 2",
            ko = "선출할 때마다 에포크가 오른다: 이제 2" })

lab.say{ en = "A dead machine or a cut cable resets nothing: only silence.",
         ko = "죽은 기계나 끊긴 케이블은 연결을 끊지 않습니다. 침묵뿐입니다." }
lab.restart("zk3")
lab.run_until(function() return server("zk3").state == "FOLLOWING" end, 20000)
lab.run(2000)   -- synced, and pinged like the others
local cut_at, failover_ms
lab.predict{
  question = { en = "Once zk2 is cut off, seconds until a new leader? (tickTime 2 s, syncLimit 5)",
               ko = "zk2가 끊기면 몇 초 뒤 새 리더가 설까요? (tickTime 2초, syncLimit 5)" },
  unit = "s",
  answer = 10,
  tolerance = 2,
  truth = function() return (failover_ms or 0) / 1000 end,
}
lab.task{
  text = { en = "zk3 is back. Cut the leader zk2 off (Tab to it, i; or :isolate zk2).",
           ko = "zk3이 돌아왔습니다. 리더 zk2를 끊으세요 (Tab으로 골라 i, 또는 :isolate zk2)." },
  hint = { en = "i isolates the selected server: its process runs on, but no message reaches it or leaves it.",
           ko = "i는 고른 서버를 고립시킵니다. 프로세스는 계속 돌지만 메시지가 오가지 못합니다." },
  done = function()
    local z = server("zk2")
    if z.isolated or z.paused then cut_at = cut_at or lab.now(); return true end
  end,
  solve = function() lab.isolate("zk2") end,
}
lab.countdown{ text = { en = "zk1 and zk3 give up on the silent leader within %s (syncLimit 5 x tickTime 2 s)",
                        ko = "%s 안에 zk1과 zk3이 조용한 리더를 포기합니다 (syncLimit 5 x tickTime 2초)" },
               ms = 10000 }
local ok = lab.run_until(function()
  local x = lab.ensemble()
  return x.serving and x.leader ~= nil and x.leader ~= "zk2"
end, 30000)
e = lab.ensemble()
failover_ms = lab.now() - cut_at
lab.check(ok and e.leader == "zk3", { en = ("zk1 and zk3 elected %s, %.1f s after the cut"):format(tostring(e.leader), failover_ms / 1000),
            ko = ("zk1과 zk3이 끊긴 지 %.1f초 뒤 %s을(를) 뽑았다"):format(failover_ms / 1000, tostring(e.leader)) })
lab.check(failover_ms > 6000 and failover_ms < 14000,
          { en = "a cut-off leader is noticed only by silence: about syncLimit x tickTime (10 s), not at once",
            ko = "끊긴 리더는 침묵으로만 알아챈다: 바로가 아니라 약 syncLimit x tickTime (10초) 뒤" })
-- the cut-off leader does not know either: it steps down only when too
-- few followers acked it within syncLimit (Leader.lead: "Not sufficient
-- followers synced")
lab.check(lab.run_until(function() return server("zk2").state ~= "LEADING" end, 20000),
          { en = "zk2, cut off, also stepped down on its own, having heard no quorum for syncLimit x tickTime",
            ko = "끊긴 zk2도 syncLimit x tickTime 동안 쿼럼의 응답을 듣지 못하자 스스로 리더에서 물러났다" })

lab.say{ en = "Heal, then crash zk3 and write while it is down: zk1 and zk2 are a quorum.",
         ko = "복구한 뒤 zk3을 죽이고, 그동안 씁니다. zk1과 zk2면 쿼럼입니다." }
lab.heal()
lab.run_until(function() return server("zk2").state == "FOLLOWING" end, 20000)
lab.kill("zk3")
lab.check(leader_serving(), { en = "zk1 and zk2 elect a leader without zk3",
            ko = "zk3 없이 zk1과 zk2가 리더를 뽑는다" })
s = lab.zk_session{ connect = { "zk1", "zk2" }, timeout_ms = 6000 }
lab.check(s:set("/lesson", "newer", -1) ~= nil, { en = "the write \"newer\" commits on zk1 and zk2",
            ko = "쓰기 \"newer\"가 zk1과 zk2에서 커밋된다" })
s:close()
lab.run(500)
local z1, z3 = server("zk1"), server("zk3")
lab.check(z1.zxid > z3.zxid, { en = ("zk1 logged it (last zxid 0x%x); zk3, down, did not (0x%x)"):format(z1.zxid, z3.zxid),
            ko = ("zk1은 기록했고(마지막 zxid 0x%x), 죽어 있던 zk3은 못 했다 (0x%x)"):format(z1.zxid, z3.zxid) })

lab.say{ en = "zk1 and zk2 go down too; zk3 restarts first, then zk1.",
         ko = "zk1과 zk2도 내려갑니다. zk3이 먼저, 이어서 zk1이 돌아옵니다." }
lab.kill("zk1")
lab.kill("zk2")
lab.restart("zk3")
lab.run(3000)
lab.check(lab.ensemble().leader == nil, { en = "zk3 alone cannot lead: 1 of 3 is no quorum",
            ko = "zk3 혼자서는 리더가 될 수 없다: 3대 중 1대는 쿼럼이 아니다" })
lab.predict{
  question = { en = "zk1 comes back: who leads?",
               ko = "zk1이 돌아오면 누가 리더가 될까요?" },
  -- zk1 has the fresher log, zk3 the higher id
  choices = { { en = "zk1 (fresher log)", ko = "zk1 (최신 로그)" }, { en = "zk3 (higher id)", ko = "zk3 (큰 id)" } },
  answer = 1,
  truth = function()
    local l = lab.ensemble().leader
    return l == "zk1" and 1 or l == "zk3" and 2 or 0
  end,
}
lab.slow{ factor = 20, ms = 1000 }
lab.restart("zk1")
lab.check(leader_serving(), { en = "with zk1 back a leader is elected",
            ko = "zk1이 돌아오자 리더가 선출된다" })
e = lab.ensemble()
lab.check(e.leader == "zk1", { en = "zk1, with the fresher log, beats zk3's higher id",
            ko = "로그가 더 최신인 zk1이 id가 더 큰 zk3을 이긴다" })
local s2 = lab.zk_session{ connect = { "zk3" }, timeout_ms = 6000 }
lab.check(s2:get("/lesson") == "newer", { en = "zk3 synced from the leader and serves the write it missed",
            ko = "zk3은 리더에게서 동기화되어 놓쳤던 쓰기를 보여 준다" })

lab.say{ en = "Summary: leaders are elected, not placed. Votes compare epoch, zxid, id: a fresher log beats a higher id, so no committed write is lost. A crash is noticed at once; silence only after syncLimit x tickTime.",
         ko = "정리: 리더는 자리가 아니라 선출입니다. 에포크, zxid, id 순으로 비교하므로 최신 로그가 큰 id를 이기고, 커밋된 쓰기는 사라지지 않습니다. 크래시는 바로, 침묵은 syncLimit x tickTime 뒤에야 알아챕니다." }
