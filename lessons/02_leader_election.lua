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
lab.check(wait_leader(), "the ensemble elects a leader")
local e = lab.ensemble()
lab.say{ en = ("Every server first votes for itself. With equal (empty) logs the highest id wins: %s, in epoch %d."):format(e.leader, e.epoch),
         ko = ("처음에는 모든 서버가 자기 자신에게 투표합니다. 로그가 같으면(비어 있으면) id 가 가장 큰 서버가 이깁니다: %s, 에포크 %d."):format(e.leader, e.epoch) }
lab.check(e.leader == "zk3", "with equal logs the highest id (zk3) leads")
lab.check(e.epoch == 1, "a fresh ensemble's first leader has epoch 1")

-- write something so the logs carry transactions
local s = lab.zk_session{ connect = { "zk1", "zk2", "zk3" }, timeout_ms = 6000 }
lab.check(s:create("/lesson", "hello") == "/lesson", "a write is committed by the quorum")

lab.say{ en = "Crash the leader. The followers notice at once (its connections reset) and elect again; the epoch goes up.",
         ko = "리더를 죽입니다. 연결이 끊기므로 팔로워들은 즉시 알아채고 다시 선출합니다. 에포크가 올라갑니다." }
local t0 = lab.now()
lab.kill("zk3")
lab.check(wait_leader(), "a new leader is elected")
e = lab.ensemble()
lab.say{ en = ("New leader %s after %d ms, epoch %d."):format(e.leader, lab.now() - t0, e.epoch),
         ko = ("%d ms 만에 새 리더 %s, 에포크 %d."):format(lab.now() - t0, e.leader, e.epoch) }
lab.check(e.leader == "zk2", "zk2, the highest id left, leads")
lab.check(e.epoch == 2, "each election bumps the epoch")
lab.check(lab.now() - t0 < 2000, "a crashed leader is replaced within a couple of seconds")

lab.say{ en = "Now zk1 and zk2 hold a write that zk3 never saw. Stop zk2 and zk1, write nothing more, and bring zk3 back first...",
         ko = "이제 zk1 과 zk2 에는 zk3 가 보지 못한 쓰기가 있습니다. zk1, zk2 를 멈추고 zk3 를 먼저 살려 봅니다..." }
lab.check(s:set("/lesson", "newer", -1) ~= nil, "a second write commits on zk1 and zk2")
s:close()
lab.kill("zk1")
lab.kill("zk2")
lab.restart("zk3")
lab.run(3000)
lab.check(lab.ensemble().leader == nil, "zk3 alone cannot lead: no quorum")
lab.restart("zk1")
lab.check(wait_leader(), "with zk1 back a leader is elected")
e = lab.ensemble()
lab.say{ en = ("%s leads: a fresher log beats a higher id, so no committed write is lost."):format(e.leader),
         ko = ("%s 가 리더가 됩니다. id 가 더 커도 로그가 더 최신인 서버를 이길 수 없습니다. 그래서 커밋된 쓰기는 사라지지 않습니다."):format(e.leader) }
lab.check(e.leader == "zk1", "zk1, with the fresher log, beats zk3's higher id")
local s2 = lab.zk_session{ connect = { "zk3" }, timeout_ms = 6000 }
local data = s2:get("/lesson")
lab.check(data == "newer", "zk3 was synchronised from the leader and serves the newest data")
