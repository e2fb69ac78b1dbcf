-- Lesson 12: what Kafka 2.x does when ZooKeeper loses its quorum.
-- The notes say (in Korean) "Kafka 는 2.x까지 주키퍼 없이 동작할수 없다":
-- Kafka up to 2.x cannot work without ZooKeeper. For metadata that is true:
-- no topic can be created, no leader can move, because the controller
-- reads and writes its state in ZooKeeper. But ZooKeeper is not in the
-- path of the data: existing partition leaders keep taking writes and
-- serving reads. The learner takes the quorum away and sees both halves.

local function zk_down()
  local down = {}
  for _, s in ipairs(lab.ensemble().servers) do
    if not s.up then down[#down + 1] = s.name end
  end
  return down
end

lab.say{ en = "Lesson 12: Kafka while ZooKeeper has no quorum",
         ko = "12강: 주키퍼가 쿼럼을 잃었을 때의 카프카" }
lab.cluster{ zookeepers = 3, brokers = 3, seed = 9 }
lab.wait_brokers()
lab.create_topic{ name = "logs", partitions = 3, replication_factor = 3,
                  config = { ["min.insync.replicas"] = 2 } }
lab.run(3000)
local p = lab.producer{ bootstrap = { 101, 102, 103 }, acks = "all" }
lab.check(p:send_many("logs", 30).acked == 30,
          { en = "a healthy cluster: p1 (acks=all) writes 30 records to logs, all acknowledged",
            ko = "건강한 클러스터: p1(acks=all)이 logs에 레코드 30건을 쓰고 모두 확인받는다" })

lab.say{ en = "The notes say: \"Kafka cannot work without ZooKeeper up to 2.x.\" Let us see which part of Kafka that is true for. First take ZooKeeper's quorum away.",
         ko = "노트에는 \"Kafka 는 2.x까지 주키퍼 없이 동작할수 없다.\"라고 적혀 있습니다. 카프카의 어느 부분에 맞는 말인지 확인해 봅시다. 먼저 주키퍼의 쿼럼을 없앱니다." }
local kill = lab.task{
  text = { en = "Crash two of the three ZooKeeper servers: type :kill zk1, then :kill zk2 (or select each with Tab and press k).",
           ko = "주키퍼 서버 세 대 중 두 대를 죽이세요: :kill zk1, 이어서 :kill zk2를 입력하세요 (또는 Tab으로 하나씩 골라 k)." },
  hint = { en = "Any two of zk1, zk2, zk3 will do: one of three is no majority.",
           ko = "zk1, zk2, zk3 중 아무 두 대나 됩니다. 3대 중 1대는 과반수가 아닙니다." },
  done = function()
    local down = zk_down()
    if #down >= 2 then return table.concat(down, ", ") end
  end,
  solve = function() lab.kill("zk1"); lab.kill("zk2") end,
}
lab.run(3000)
lab.check(not lab.ensemble().serving,
          { en = ("with %s down the ensemble has no quorum and serves nobody"):format(kill.value or "two servers"),
            ko = ("%s이(가) 죽자 앙상블은 쿼럼을 잃고 아무에게도 응답하지 않는다"):format(kill.value or "두 서버") })

lab.say{ en = "ZooKeeper serves nobody now. p1 sends 30 more records with acks=all. Guess first.",
         ko = "이제 주키퍼는 아무 요청도 처리하지 않습니다. p1이 acks=all로 레코드 30건을 더 보냅니다. 먼저 예측해 보세요." }
local r
lab.predict{
  question = { en = "Without a ZooKeeper quorum, how many of the 30 records are acknowledged?",
               ko = "주키퍼 쿼럼이 없을 때, 30건 중 몇 건이 확인(ack)될까요?" },
  choices = { { en = "all 30", ko = "30건 모두" },
              { en = "none: every write fails", ko = "0건: 모두 실패" },
              { en = "none yet: they wait for ZooKeeper", ko = "아직 0건: 주키퍼를 기다린다" } },
  answer = 1,
  truth = function()
    if r.acked == 30 then return 1 end
    if r.failed > 0 then return 2 end
    return 3
  end,
}
r = p:send_many("logs", 30)
lab.check(r.acked == 30,
          { en = "all 30 acknowledged: a broker never asks ZooKeeper to write or read a record, the partition leaders take them",
            ko = "30건 모두 확인된다: 브로커는 레코드를 쓰고 읽을 때 주키퍼에 묻지 않는다. 파티션 리더가 받는다" })
local c = lab.consumer{ bootstrap = { 101, 102, 103 } }
local part = next(r.partitions)                 -- where the records went
local recs = c:read("logs", part, 0, 100)
lab.check(recs ~= nil and #recs > 0,
          { en = ("and a new consumer reads logs-%d: %d records"):format(part, recs and #recs or 0),
            ko = ("새 컨슈머도 logs-%d을(를) 읽는다: %d건"):format(part, recs and #recs or 0) })

lab.say{ en = "The data goes on. Metadata does not: creating a topic is a write to ZooKeeper (/brokers/topics/new), and nobody can write there now.",
         ko = "데이터는 계속 흐릅니다. 메타데이터는 다릅니다. 토픽 생성은 주키퍼(/brokers/topics/new)에 쓰는 일인데, 지금은 아무도 거기에 쓸 수 없습니다." }
local ok, err = lab.create_topic{ name = "new", partitions = 1, replication_factor = 1 }
lab.check(ok == nil,
          { en = "creating topic new fails: " .. tostring(err) .. " (the controller's write to ZooKeeper got no answer)",
            ko = "토픽 new 생성이 실패한다: " .. tostring(err) .. " (컨트롤러가 주키퍼에 쓴 요청이 응답을 받지 못함)" })

local led = lab.partition("logs", 0).leader
lab.say{ en = ("Next broker %d, leader of logs-0, fails. Normally its session expires after 18 s and the controller moves its partitions."):format(led),
         ko = ("다음은 logs-0의 리더인 브로커 %d이(가) 죽습니다. 평소라면 18초 뒤 세션이 만료되고 컨트롤러가 파티션을 옮깁니다."):format(led) }
lab.ask{
  question = { en = ("Broker %d crashes while ZooKeeper has no quorum. Who expires its session?"):format(led),
               ko = ("주키퍼에 쿼럼이 없을 때 브로커 %d이(가) 죽습니다. 누가 그 세션을 만료시킬까요?"):format(led) },
  choices = { { en = "the surviving ZooKeeper server, after 18 s", ko = "살아남은 주키퍼 서버가 18초 뒤에" },
              { en = "the controller", ko = "컨트롤러가" },
              { en = "nobody, until a quorum is back", ko = "쿼럼이 돌아올 때까지 아무도 못 한다" } },
  answer = 3,
  why = { en = "Only the ensemble's leader expires sessions; with no quorum there is no leader.",
          ko = "세션을 만료시키는 것은 앙상블의 리더뿐인데, 쿼럼이 없으면 리더도 없습니다." },
}
local crash = lab.task{
  text = { en = ("Crash broker %d yourself: type :kill %d (or select it with Tab and press k)."):format(led, led),
           ko = ("브로커 %d을(를) 직접 죽이세요: :kill %d 입력 (또는 Tab으로 골라 k)."):format(led, led) },
  hint = { en = ("The PLACEMENT grid has a column for %d; select it with Tab, and k crashes it (as kill -9 would)."):format(led),
           ko = ("파티션 배치 그리드에 %d의 열이 있습니다. Tab으로 고르고 k를 누르면 kill -9를 맞은 것처럼 죽습니다."):format(led) },
  done = function()
    for _, b in ipairs(lab.brokers()) do
      if b.id == led and not b.up then return true end
    end
  end,
  solve = function() lab.kill(led) end,
}
lab.countdown{ text = { en = ("%d's session would expire in %%s (zookeeper.session.timeout.ms 18 s), if a leader could expire it"):format(led),
                        ko = ("리더가 있었다면 %d의 세션은 %%s 뒤 만료됩니다 (zookeeper.session.timeout.ms 18초)"):format(led) },
               ms = 18000 }
lab.run(40000)
lab.check(crash.done and lab.partition("logs", 0).leader == led,
          { en = ("40 s after the crash, logs-0 still names the dead broker %d as leader: no failover"):format(led),
            ko = ("죽은 지 40초가 지나도 logs-0의 리더는 여전히 죽은 브로커 %d이다: 장애 조치가 없다"):format(led) })

lab.say{ en = "Bring one ZooKeeper server back. With a quorum again a leader is elected; it starts every session's clock afresh (it cannot know when the others last heard from a client), so the dead broker's session expires one full timeout later, then the controller moves its partitions.",
         ko = "주키퍼 서버 한 대를 되살립니다. 쿼럼이 돌아오면 리더가 뽑히는데, 새 리더는 모든 세션의 시계를 처음부터 다시 셉니다(다른 서버가 클라이언트 소식을 언제 마지막으로 들었는지 알 수 없으니까요). 그래서 죽은 브로커의 세션은 타임아웃 한 번이 온전히 지난 뒤 만료되고, 그다음 컨트롤러가 그 파티션들을 옮깁니다." }
lab.slow{ factor = 10, ms = 2000 }
local back = zk_down()[1] or "zk1"
lab.restart(back)
local t0 = lab.now()
lab.run_until(function() return lab.ensemble().serving end, 20000)
-- the leader expires sessions in tickTime buckets (SessionTrackerImpl):
-- the first tick boundary after now + 18 s
local now = lab.now()
lab.countdown{ text = { en = ("%d's session expires in %%s: a full 18 s from the new leader's start"):format(led),
                        ko = ("%d의 세션 만료까지 %%s: 새 리더가 시작한 때부터 18초"):format(led) },
               ms = ((now + 18000) // 2000 + 1) * 2000 - now }
local moved = lab.run_until(function()
  local l = lab.partition("logs", 0).leader
  return l ~= nil and l ~= led
end, 60000)
lab.check(moved, { en = ("%s is back: %.1f s later logs-0 has a live leader, %s"):format(back, (lab.now() - t0) / 1000, tostring(lab.partition("logs", 0).leader)),
                   ko = ("%s이(가) 돌아오자 %.1f초 뒤 logs-0에 살아 있는 리더 %s이(가) 생긴다"):format(back, (lab.now() - t0) / 1000, tostring(lab.partition("logs", 0).leader)) })
lab.check(lab.audit().lost == 0,
          { en = "no acknowledged write was lost", ko = "확인받은 쓰기는 하나도 사라지지 않았다" })

lab.say{ en = "Summary: without a ZooKeeper quorum, Kafka 2.x keeps its data path (existing leaders take writes, consumers read) but loses its metadata path: no new topic, no failover, no controller change. So the notes are right about metadata only. Lesson 14 shows how KRaft moves that metadata into Kafka itself.",
         ko = "정리: 주키퍼 쿼럼이 없으면 카프카 2.x는 데이터 경로는 유지하지만(기존 리더가 쓰기를 받고 컨슈머가 읽음) 메타데이터 경로를 잃습니다. 새 토픽도, 장애 조치도, 컨트롤러 교체도 없습니다. 노트의 말은 메타데이터에 대해서만 맞습니다. 14강에서는 KRaft가 이 메타데이터를 카프카 자체로 옮기는 방법을 봅니다." }
