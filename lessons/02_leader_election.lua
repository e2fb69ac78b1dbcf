-- Lesson 2: how the ensemble picks its leader.
-- The notes show server 2 leading with 1 and 3 following. Who leads is not
-- chosen by position: votes are compared by (epoch, last zxid, server id).

local function wait_leader(ms)
  return lab.run_until(function()
    local e = lab.ensemble()
    return e.leader ~= nil and e.serving
  end, ms or 20000)
end

lab.say{ en = "Lesson 2: leader election",
         ko = "2강: 리더 선출" }
lab.cluster{ zookeepers = 3, seed = 2 }
lab.check(wait_leader(), { en = "the ensemble elects a leader",
            ko = "앙상블이 리더를 뽑는다" })
local e = lab.ensemble()
lab.say{ en = ("Every server first votes for itself. With equal (empty) logs the highest id wins: %s, in epoch %d."):format(e.leader, e.epoch),
         ko = ("처음에는 모든 서버가 자기 자신에게 투표합니다. 로그가 같으면(비어 있으면) id 가 가장 큰 서버가 이깁니다: %s, 에포크 %d."):format(e.leader, e.epoch) }
lab.check(e.leader == "zk3", { en = "with equal logs the highest id (zk3) leads",
            ko = "로그가 같으면 id 가 가장 큰 zk3이 리더가 된다" })
lab.check(e.epoch == 1, { en = "a fresh ensemble's first leader has epoch 1",
            ko = "새 앙상블의 첫 리더는 에포크 1" })

-- write something so the logs carry transactions
local s = lab.zk_session{ connect = { "zk1", "zk2", "zk3" }, timeout_ms = 6000 }
lab.check(s:create("/lesson", "hello") == "/lesson", { en = "a write is committed by the quorum",
            ko = "쿼럼이 쓰기를 커밋한다" })

lab.say{ en = "Crash the leader. The followers notice at once (its connections reset) and elect again; the epoch goes up.",
         ko = "리더를 죽입니다. 연결이 끊기므로 팔로워들은 즉시 알아채고 다시 선출합니다. 에포크가 올라갑니다." }
local t0 = lab.now()
lab.kill("zk3")
lab.check(wait_leader(), { en = "a new leader is elected",
            ko = "새 리더가 선출된다" })
e = lab.ensemble()
lab.say{ en = ("New leader %s after %d ms, epoch %d."):format(e.leader, lab.now() - t0, e.epoch),
         ko = ("%d ms 만에 새 리더 %s, 에포크 %d."):format(lab.now() - t0, e.leader, e.epoch) }
lab.check(e.leader == "zk2", { en = "zk2, the highest id left, leads",
            ko = "남은 서버 중 id 가 가장 큰 zk2 가 리더가 된다" })
lab.check(e.epoch == 2, { en = "each election bumps the epoch",
            ko = "선출할 때마다 에포크가 오른다" })
lab.check(lab.now() - t0 < 2000, { en = "a crashed leader is replaced within a couple of seconds",
            ko = "죽은 리더는 2초 안에 교체된다" })

lab.say{ en = "Now zk1 and zk2 hold a write that zk3 never saw. Stop zk2 and zk1, write nothing more, and bring zk3 back first...",
         ko = "이제 zk1 과 zk2 에는 zk3이 보지 못한 쓰기가 있습니다. zk1, zk2 를 멈추고 zk3을 먼저 살려 봅니다..." }
lab.check(s:set("/lesson", "newer", -1) ~= nil, { en = "a second write commits on zk1 and zk2",
            ko = "두 번째 쓰기가 zk1 과 zk2 에서 커밋된다" })
s:close()
lab.kill("zk1")
lab.kill("zk2")
lab.restart("zk3")
lab.run(3000)
lab.check(lab.ensemble().leader == nil, { en = "zk3 alone cannot lead: no quorum",
            ko = "zk3 혼자서는 리더가 될 수 없다: 쿼럼이 없다" })
lab.restart("zk1")
lab.check(wait_leader(), { en = "with zk1 back a leader is elected",
            ko = "zk1 이 돌아오자 리더가 선출된다" })
e = lab.ensemble()
lab.say{ en = ("%s leads: a fresher log beats a higher id, so no committed write is lost."):format(e.leader),
         ko = ("%s이(가) 리더가 됩니다. id 가 더 커도 로그가 더 최신인 서버를 이길 수 없습니다. 그래서 커밋된 쓰기는 사라지지 않습니다."):format(e.leader) }
lab.check(e.leader == "zk1", { en = "zk1, with the fresher log, beats zk3's higher id",
            ko = "로그가 더 최신인 zk1 이 id 가 더 큰 zk3을 이긴다" })
local s2 = lab.zk_session{ connect = { "zk3" }, timeout_ms = 6000 }
local data = s2:get("/lesson")
lab.check(data == "newer", { en = "zk3 was synchronised from the leader and serves the newest data",
            ko = "zk3은 리더에게서 동기화되어 최신 데이터를 보여 준다" })
