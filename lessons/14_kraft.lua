-- Lesson 14: after ZooKeeper, KRaft. Two worlds from one seed side by side
-- (lab.compare): Kafka 2.8 in ZooKeeper mode on the left, the same brokers
-- in KRaft mode on the right, its quorum as Kafka 3.7 runs it (a leader
-- without a majority's fetches resigns: check quorum, 3.7 and later). The learner crashes the same
-- broker in both and sees who moves its leaderships first (the ZooKeeper
-- session timeout, 18 s, against KRaft's broker session, 9 s after the
-- last heartbeat), then crashes the controller in both (a broker holding
-- /controller; the quorum's leader with the same broker), and the failover
-- times go on a chart beside bench_failover's (docs/failover.md). The
-- notes say (in Korean) KRaft came in the versions "after 2.x" ("Kafka 2.x
-- 이후 버전에서는 ... KRaft (Kafka Raft) 모드를 지원하기 시작했다"): it
-- arrived in 2.8 as early access (KIP-500), became production-ready in 3.3
-- (KIP-833), and 4.0 removed ZooKeeper mode.

local function right(f) return lab.on("right", f) end

local function up(id)
  for _, b in ipairs(lab.brokers()) do if b.id == id then return b.up end end
end

-- true once every partition of pay has a leader other than id
local function moved_off(id)
  for p = 0, 2 do
    local l = lab.partition("pay", p).leader
    if l == nil or l == id then return false end
  end
  return true
end

-- true while a partition of pay names id as its leader or in its ISR
local function in_sync(id)
  for p = 0, 2 do
    local s = lab.partition("pay", p)
    if s.leader == id then return true end
    for _, r in ipairs(s.isr) do if r == id then return true end end
  end
  return false
end

local function leads(id)
  for p = 0, 2 do if lab.partition("pay", p).leader == id then return true end end
  return false
end

local function all_registered()
  for _, b in ipairs(lab.brokers()) do if not (b.up and b.registered) then return false end end
  return true
end

local function active() local q = lab.quorum(); return q and q.leader end

lab.say{ en = "Lesson 14: after ZooKeeper, KRaft",
         ko = "14강: 주키퍼 다음, KRaft" }
lab.compare{
  left = { zookeepers = 3, brokers = 3, seed = 14 },
  right = { mode = "kraft", controllers = 3, brokers = 3, seed = 14 },
  labels = { { en = "ZooKeeper mode (Kafka 2.8)", ko = "주키퍼 모드 (카프카 2.8)" },
             { en = "KRaft mode (Kafka 3.7)", ko = "KRaft 모드 (카프카 3.7)" } },
}
lab.wait_brokers()
right(function() lab.wait_brokers() end)
lab.create_topic{ name = "pay", partitions = 3, replication_factor = 3 }
right(function() lab.create_topic{ name = "pay", partitions = 3, replication_factor = 3 } end)
lab.run(3000)
-- the lesson reads the left world's ZooKeeper with a plain session, c1
local c1 = lab.zk_session{ timeout_ms = 6000 }
local ctrl = lab.controller()
local cdata = c1:get("/controller")
local epoch0 = tonumber((c1:get("/controller_epoch")))
local kctl = right(active)

lab.say{ en = ("The same three brokers and topic pay, twice. Left, ZooKeeper mode: broker %d is the controller because it holds the ephemeral znode /controller, and each broker is alive while its ZooKeeper session lives. Right, KRaft: no ZooKeeper; three controller processes, ctl1 to ctl3, keep the metadata as a Raft log, __cluster_metadata, and its leader, %s, is the active controller. The brokers heartbeat to it every 2 s."):format(ctrl, tostring(kctl)),
         ko = ("같은 브로커 세 대와 토픽 pay가 두 벌 있습니다. 왼쪽은 주키퍼 모드: 브로커 %d이(가) 임시 znode /controller를 쥐고 있어서 컨트롤러이고, 브로커는 주키퍼 세션이 살아 있는 동안 살아 있는 것으로 봅니다. 오른쪽은 KRaft: 주키퍼가 없고, 컨트롤러 프로세스 세 대(ctl1~ctl3)가 메타데이터를 Raft 로그(__cluster_metadata)로 보관하며, 그 리더 %s이(가) 활성 컨트롤러입니다. 브로커는 2초마다 여기에 하트비트를 보냅니다."):format(ctrl, tostring(kctl)) }
lab.check(cdata and cdata:find('"brokerid":' .. ctrl, 1, true) ~= nil and epoch0 ~= nil,
          { en = ("left: /controller names broker %d (%s); /controller_epoch is %d"):format(ctrl, tostring(cdata), epoch0 or -1),
            ko = ("왼쪽: /controller에는 브로커 %d이(가) 있다 (%s). /controller_epoch는 %d이다"):format(ctrl, tostring(cdata), epoch0 or -1) })
-- lab.controller() names the active controller in KRaft mode too: a
-- controller process, never a broker
local function no_broker_controller()
  for _, b in ipairs(lab.brokers()) do if b.controller then return false end end
  return lab.controller() == kctl
end
lab.check(kctl ~= nil and right(no_broker_controller),
          { en = ("right: %s leads the quorum; no broker is the controller"):format(tostring(kctl)),
            ko = ("오른쪽: %s이(가) 쿼럼을 이끈다. 컨트롤러인 브로커는 없다"):format(tostring(kctl)) })

-- a broker that is not the left's controller and leads in both worlds
local victim
for _, id in ipairs({ 101, 102, 103 }) do
  if not victim and id ~= ctrl and leads(id) and right(function() return leads(id) end) then victim = id end
end

lab.say{ en = ("Crash broker %d, a partition leader, not the controller. A crash from the keyboard reaches the broker of that name in both worlds at the same instant. Left, the controller learns of it only when the broker's ZooKeeper session expires; right, when the broker's heartbeats stop."):format(victim),
         ko = ("컨트롤러가 아닌 파티션 리더, 브로커 %d을(를) 크래시시킵니다. 키보드로 일으킨 크래시는 두 세계에서 같은 이름의 브로커에 같은 순간 일어납니다. 왼쪽 컨트롤러는 그 브로커의 주키퍼 세션이 만료되어야 알고, 오른쪽은 하트비트가 끊기면 압니다."):format(victim) }
local zk_s, kraft_s
lab.predict{
  question = { en = "Which world moves its leaderships first?",
               ko = "어느 쪽이 리더를 먼저 옮길까요?" },
  choices = { { en = "ZooKeeper mode", ko = "주키퍼 모드" },
              { en = "KRaft", ko = "KRaft" },
              { en = "both at once", ko = "동시에" } },
  answer = 2,
  truth = function()
    if not zk_s or not kraft_s then return nil end
    return kraft_s < zk_s and 2 or zk_s < kraft_s and 1 or 3
  end,
}
local crash = lab.task{
  text = { en = ("Crash broker %d in both worlds: type :kill %d (or select it with Tab and press k)."):format(victim, victim),
           ko = ("두 세계의 브로커 %d을(를) 크래시시키세요: :kill %d 입력 (또는 Tab으로 골라 k)."):format(victim, victim) },
  hint = { en = ("Broker %d is a column of the placement grid in each half."):format(victim),
           ko = ("브로커 %d은(는) 양쪽 파티션 배치 그리드의 한 열입니다."):format(victim) },
  done = function() return not up(victim) end,
  solve = function() lab.kill(victim) end,
}
local t0 = lab.now()
lab.run_until(function()
  if not zk_s and moved_off(victim) then zk_s = (lab.now() - t0) / 1000 end
  if not kraft_s and right(function() return moved_off(victim) end) then kraft_s = (lab.now() - t0) / 1000 end
  return zk_s and kraft_s
end, 60000)
-- on until each controller's whole batch is out (the left one writes one
-- partition state after another: the new leaders, then the ISRs the
-- broker only followed in), so the result, where the world holds still,
-- never shows the dead broker still in sync
lab.run_until(function()
  return not in_sync(victim) and not right(function() return in_sync(victim) end)
end, 5000)
lab.check(crash.done and kraft_s ~= nil and zk_s ~= nil and kraft_s < zk_s
          and not in_sync(victim) and not right(function() return in_sync(victim) end),
          { en = ("broker %d's leaderships moved after %.1f s in KRaft and %.1f s in ZooKeeper mode; both controllers then took it out of every ISR"):format(victim, kraft_s or -1, zk_s or -1),
            ko = ("브로커 %d의 리더는 KRaft에서 %.1f초, 주키퍼 모드에서 %.1f초 뒤에 옮겨졌고, 이어서 양쪽 컨트롤러가 그 브로커를 모든 ISR에서 뺐다"):format(victim, kraft_s or -1, zk_s or -1) })

lab.say{ en = ("Why: left, the session timeout (zookeeper.session.timeout.ms, 18 s) had to run out before /brokers/ids/%d went and the controller's watch fired. It counts from the broker's last ping, which comes after 6 s without traffic (a third of the timeout), and the ensemble's leader ends sessions only at its 2 s ticks: so 12 to 20 s after the crash: %.1f s. Right, the active controller fences a broker after broker.session.timeout.ms, 9 s, without a heartbeat; heartbeats come every 2 s, so that is 7 to 9 s after the crash: %.1f s. Broker %d restarts in both now."):format(victim, zk_s or -1, kraft_s or -1, victim),
         ko = ("이유: 왼쪽은 세션 타임아웃(zookeeper.session.timeout.ms, 18초)이 다 지나야 /brokers/ids/%d이(가) 사라지고 컨트롤러의 워치가 울립니다. 타임아웃은 브로커의 마지막 핑부터 세는데, 핑은 6초(타임아웃의 3분의 1) 동안 보낼 것이 없을 때 가고, 앙상블의 리더는 세션을 2초 틱마다만 끝냅니다. 그래서 크래시 뒤 12~20초입니다: %.1f초. 오른쪽 활성 컨트롤러는 broker.session.timeout.ms(9초) 동안 하트비트가 없는 브로커를 펜싱합니다. 하트비트는 2초마다 오므로 크래시 뒤 7~9초입니다: %.1f초. 이제 브로커 %d을(를) 양쪽에서 다시 시작합니다."):format(victim, zk_s or -1, kraft_s or -1, victim) }
lab.restart(victim)
local back = lab.run_until(function()
  return all_registered() and right(all_registered)
end, 30000)
lab.check(back, { en = ("broker %d is registered again in both worlds"):format(victim),
                  ko = ("브로커 %d이(가) 양쪽에 다시 등록되었다"):format(victim) })

lab.say{ en = "Next the controllers themselves. A question first.",
         ko = "다음은 컨트롤러 자체입니다. 먼저 질문입니다." }
lab.ask{
  question = { en = "In KRaft the active controller dies. Its successor first...",
               ko = "KRaft에서 활성 컨트롤러가 죽으면, 후임은 먼저..." },
  choices = { { en = "waits for a session to expire", ko = "세션 만료를 기다린다" },
              { en = "wins a Raft vote, log in hand", ko = "로그를 쥔 채 Raft 투표에서 이긴다" },
              { en = "reloads every topic", ko = "모든 토픽을 다시 읽는다" } },
  answer = 2,
  why = { en = "Standby controllers replicate the metadata log all along.",
          ko = "대기 컨트롤러는 메타데이터 로그를 늘 복제해 둡니다." },
}

kctl = right(active)
lab.say{ en = ("Crash the controller in both. Left it is broker %d: crashing it crashes broker %d on the right too, where it is only a broker. So that both worlds lose a controller and a broker, the lesson crashes %s, the right's active controller, at the same instant."):format(ctrl, ctrl, tostring(kctl)),
         ko = ("이번에는 양쪽의 컨트롤러를 크래시시킵니다. 왼쪽 컨트롤러는 브로커 %d이고, 이를 크래시시키면 오른쪽의 브로커 %d도 함께 크래시됩니다(오른쪽에서는 그냥 브로커입니다). 두 세계가 똑같이 컨트롤러 하나와 브로커 하나를 잃도록, 레슨이 같은 순간 오른쪽의 활성 컨트롤러 %s을(를) 크래시시킵니다."):format(ctrl, ctrl, tostring(kctl)) }
local zk_ctrl_s, zk_moved_s, kraft_ctrl_s, kraft_moved_s, kraft_cand_s
lab.predict{
  question = { en = ("In KRaft, how many seconds until broker %d's partitions move this time?"):format(ctrl),
               ko = ("이번에 KRaft에서 브로커 %d의 파티션이 옮겨지기까지 몇 초 걸릴까요?"):format(ctrl) },
  unit = "s", answer = 12, tolerance = 3,
  truth = function() return kraft_moved_s end,
}
local ccrash = lab.task{
  text = { en = ("Crash the controller: type :kill %d (or select broker %d with Tab and press k)."):format(ctrl, ctrl),
           ko = ("컨트롤러를 크래시시키세요: :kill %d 입력 (또는 Tab으로 브로커 %d을(를) 골라 k)."):format(ctrl, ctrl) },
  hint = { en = ("The left's controller is marked * in its placement grid: %d*."):format(ctrl),
           ko = ("왼쪽 파티션 배치 그리드에서 컨트롤러는 *로 표시됩니다: %d*."):format(ctrl) },
  done = function() return not up(ctrl) end,
  solve = function() lab.kill(ctrl) end,
}
local kepoch0 = right(function() return lab.quorum().epoch end)
right(function() lab.kill(kctl) end)
t0 = lab.now()
local kleads = right(function() return leads(ctrl) end)
local zleads = leads(ctrl)
lab.run_until(function()
  local now = (lab.now() - t0) / 1000
  if not zk_ctrl_s then local c = lab.controller(); if c and c ~= ctrl then zk_ctrl_s = now end end
  if not zk_moved_s and (not zleads or moved_off(ctrl)) then zk_moved_s = now end
  right(function()
    if not kraft_cand_s then
      for _, v in ipairs(lab.quorum().voters) do if v.state == "Candidate" then kraft_cand_s = now end end
    end
    if not kraft_ctrl_s then local a = active(); if a and a ~= kctl then kraft_ctrl_s = now end end
    if not kraft_moved_s and (not kleads or moved_off(ctrl)) then kraft_moved_s = now end
  end)
  return zk_ctrl_s and zk_moved_s and kraft_ctrl_s and kraft_moved_s
end, 60000)
local epoch1 = tonumber((c1:get("/controller_epoch")))
lab.check(ccrash.done and zk_ctrl_s ~= nil and epoch1 == epoch0 + 1,
          { en = ("left: %.1f s later broker %s won /controller and raised /controller_epoch to %d; it read every topic's state back from ZooKeeper and moved broker %d's partitions %.0f ms after that"):format(zk_ctrl_s or -1, tostring(lab.controller()), epoch1 or -1, ctrl, ((zk_moved_s or 0) - (zk_ctrl_s or 0)) * 1000),
            ko = ("왼쪽: %.1f초 뒤 브로커 %s이(가) /controller를 차지하고 /controller_epoch를 %d(으)로 올렸다. 모든 토픽 상태를 주키퍼에서 다시 읽고 그 %.0f ms 뒤 브로커 %d의 파티션을 옮겼다"):format(zk_ctrl_s or -1, tostring(lab.controller()), epoch1 or -1, ((zk_moved_s or 0) - (zk_ctrl_s or 0)) * 1000, ctrl) })
lab.check(kraft_ctrl_s ~= nil and kraft_moved_s ~= nil and kraft_moved_s < zk_moved_s,
          { en = ("right: %s was the active controller after %.1f s, with the metadata already in hand; broker %d's partitions moved at %.1f s"):format(tostring(right(active)), kraft_ctrl_s or -1, ctrl, kraft_moved_s or -1),
            ko = ("오른쪽: %.1f초 뒤 %s이(가) 활성 컨트롤러가 되었고 메타데이터는 이미 갖고 있었다. 브로커 %d의 파티션은 %.1f초에 옮겨졌다"):format(kraft_ctrl_s or -1, tostring(right(active)), ctrl, kraft_moved_s or -1) })

-- a voter becomes a candidate when quorum.fetch.timeout.ms has passed
-- since the leader last answered its Fetch (KafkaRaftClient
-- pollFollowerAsVoter, FollowerState's fetch timer, reset by each
-- answer); a Fetch waits at the leader up to 500 ms for new records, so
-- the last answer came up to 0.5 s before the crash. Both standbys may
-- become candidates at once, each voting for itself: then neither has a
-- majority, and after a random wait one tries again in the next epoch.
local rounds = right(function() return lab.quorum().epoch end) - kepoch0
local vote = rounds <= 1
  and { en = ("It won the vote at once: %.1f s."):format(kraft_ctrl_s or -1),
        ko = ("그리고 곧바로 투표에서 이겼습니다: %.1f초."):format(kraft_ctrl_s or -1) }
  or { en = ("Both standbys became candidates at once, each voting for itself, so neither had a majority; after a random wait one tried again and won: %.1f s."):format(kraft_ctrl_s or -1),
       ko = ("두 대기 컨트롤러가 동시에 후보로 나서 각자 자기에게 투표했으므로 어느 쪽도 과반을 얻지 못했고, 무작위로 기다린 뒤 한쪽이 다시 나서 이겼습니다: %.1f초."):format(kraft_ctrl_s or -1) }
lab.say{ en = ("Left, the session timeout again (%.1f s: from the controller's last ping, as before), then the new controller reads the state of every topic and partition from ZooKeeper before it acts: with 3 partitions that is quick, with 100,000 it takes a minute. Right, a standby controller became a candidate %.1f s after the crash: quorum.fetch.timeout.ms (2 s) counts from the leader's last answer to its Fetch, not from the crash, and that answer came at most 0.5 s before it (a Fetch waits at the leader up to 0.5 s for new records), so 1.5 to 2 s. %s It then gave every broker a fresh 9 s session, so broker %d was fenced 9 s later, with nothing read per partition: %.1f s, and about the same at any partition count (the chart next)."):format(zk_ctrl_s or -1, kraft_cand_s or -1, vote.en, ctrl, kraft_moved_s or -1),
         ko = ("왼쪽은 다시 세션 타임아웃을 기다린 뒤(%.1f초: 앞에서처럼 컨트롤러의 마지막 핑부터 셉니다), 새 컨트롤러가 움직이기 전에 모든 토픽과 파티션의 상태를 주키퍼에서 읽습니다. 파티션 3개면 금방이지만 100,000개면 1분이 걸립니다. 오른쪽은 대기 컨트롤러가 크래시 %.1f초 뒤 후보가 되었습니다. quorum.fetch.timeout.ms(2초)는 크래시가 아니라 리더가 그 컨트롤러의 Fetch에 마지막으로 답한 때부터 세는데, 그 답은 크래시 전 0.5초 안에 왔으므로(Fetch는 새 레코드를 리더에서 최대 0.5초 기다립니다) 1.5~2초입니다. %s 그다음 모든 브로커에게 9초짜리 새 세션을 주었으므로 브로커 %d은(는) 9초 뒤 펜싱되었고, 파티션마다 읽는 것은 없습니다: %.1f초이고, 파티션이 아무리 많아도 거의 그대로입니다(다음 그래프)."):format(zk_ctrl_s or -1, kraft_cand_s or -1, vote.ko, ctrl, kraft_moved_s or -1) }

lab.say(lab.failover_plot{ measured = { partitions = 3, zk = zk_moved_s, kraft = kraft_moved_s } })

lab.say{ en = "Real Kafka shows the same shape. Confluent's first look at Kafka without ZooKeeper (confluent.io/blog/kafka-without-zookeeper-a-sneak-peek) charted a cluster with a very large number of partitions: recovery from an uncontrolled shutdown took 503 s with ZooKeeper and 37 s with the quorum controller, as digests of the post quote it. docs/failover.md has the sources and the lab's bench.",
         ko = "실제 카프카도 같은 모양입니다. Confluent가 주키퍼 없는 카프카를 처음 소개한 글(confluent.io/blog/kafka-without-zookeeper-a-sneak-peek)은 파티션이 아주 많은 클러스터에서 비정상 종료 뒤 복구에 주키퍼로 503초, 쿼럼 컨트롤러로 37초가 걸렸다고 그래프로 보였습니다(글의 요약에 인용된 수치). 출처와 랩의 벤치는 docs/failover.md에 있습니다." }

lab.say{ en = "The notes say KRaft came \"after 2.x\". When could you first run it in production? A question before the dates.",
         ko = "노트에는 KRaft가 \"2.x 이후\"에 나왔다고 적혀 있습니다. 운영 환경에서는 언제부터 쓸 수 있었을까요? 연도를 보기 전에 먼저 질문입니다." }
lab.ask{
  question = { en = "Which version first made KRaft production-ready?",
               ko = "KRaft를 처음으로 운영 환경에 쓸 수 있게 한 버전은?" },
  choices = { "2.8", "3.3", "4.0" },
  answer = 2,
  why = { en = "2.8 shipped KRaft as early access only; 3.3 declared it production-ready (KIP-833).",
          ko = "2.8은 KRaft를 얼리 액세스로만 내놓았고, 3.3이 운영 가능하다고 선언했습니다(KIP-833)." },
}

lab.say{ en = "The dates: 2.8 (2021) shipped KRaft as early access, not for production (KIP-500); 3.3 (2022) made it production-ready (KIP-833); 3.5 deprecated ZooKeeper mode; 4.0 (2025) removed it. The right-hand world runs its controller quorum as 3.7 does, hence its label: a leader that no majority fetches from resigns (check quorum, KAFKA-15489, new in 3.7).",
         ko = "연도: 2.8(2021)은 KRaft를 얼리 액세스로 내놓았고 운영용은 아니었습니다(KIP-500). 3.3(2022)에서 운영 가능해졌고(KIP-833), 3.5에서 주키퍼 모드가 폐기 예정이 되었으며, 4.0(2025)에서 제거되었습니다. 오른쪽의 컨트롤러 쿼럼은 3.7처럼 동작하므로 이름표에 3.7을 적었습니다: 과반수의 페치를 받지 못한 리더는 물러납니다(check quorum, KAFKA-15489, 3.7부터)." }

lab.say{ en = ("Summary: in ZooKeeper mode a dead broker is noticed when its session expires (%.1f s here) and a dead controller is replaced only after that, by a broker that must reload the state from ZooKeeper, longer with more partitions. KRaft keeps the metadata in a Raft log on a controller quorum: brokers are fenced 9 s after their last heartbeat (%.1f s after the crash here), and a standby controller takes over within seconds, already up to date, with no second system to run. Try more in build/quorumlab --compare."):format(zk_s or -1, kraft_s or -1),
         ko = ("정리: 주키퍼 모드에서는 죽은 브로커를 세션이 만료되어야 알아채고(여기서는 %.1f초), 죽은 컨트롤러는 그 뒤에야 다른 브로커로 바뀌며, 새 컨트롤러는 주키퍼에서 상태를 다시 읽어야 해서 파티션이 많을수록 오래 걸립니다. KRaft는 메타데이터를 컨트롤러 쿼럼의 Raft 로그에 두므로, 브로커는 마지막 하트비트 9초 뒤 펜싱되고(여기서는 크래시 %.1f초 뒤), 대기 컨트롤러는 이미 최신 상태로 몇 초 안에 이어받으며, 따로 돌릴 시스템도 없습니다. build/quorumlab --compare로 더 해 보세요."):format(zk_s or -1, kraft_s or -1) }
