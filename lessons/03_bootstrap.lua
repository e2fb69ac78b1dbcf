-- Lesson 3: bootstrap servers. The notes say the bootstrap servers are
-- all the brokers of the cluster. They are only where a client starts:
-- any broker that answers gives it the whole cluster, so any subset will
-- do, as long as one of them is up when the client starts. The learner
-- stops the only bootstrap broker, predicts what a new client does, then
-- starts one with another list.

local TOPIC = "events"
local function written()
  local n = 0
  for _, p in ipairs(lab.topic(TOPIC)) do n = n + p.hw end
  return n
end

lab.say{ en = "Lesson 3: bootstrap servers are only where a client starts",
         ko = "3강: 부트스트랩 서버는 클라이언트가 처음 찾아가는 곳일 뿐입니다" }
lab.cluster{ zookeepers = 3, brokers = 4, seed = 5 }
lab.wait_brokers(4)
lab.create_topic{ name = TOPIC, partitions = 4, replication_factor = 3,
                  config = { ["min.insync.replicas"] = 2 } }
lab.run(2000)
lab.check(#lab.topic(TOPIC) == 4, { en = "topic events: 4 partitions, 3 copies each, on brokers 101 to 104",
            ko = "events 토픽: 파티션 4개, 각 3벌, 브로커 101~104에" })

-- p1 is given one broker and learns them all
lab.say{ en = "The notes: the bootstrap servers \"are all the brokers of the cluster\". Producer p1 is given only 101: it asks 101 for metadata, then writes to every leader.",
         ko = "노트: 부트스트랩 서버는 \"카프카 클러스터 내의 모든 브로커를 의미한다\". 프로듀서 p1에게는 101만 알려 줍니다. p1은 101에게 메타데이터를 묻고 모든 리더에게 씁니다." }
local p1 = lab.producer{ bootstrap = { 101 }, acks = "all" }
local acked, leaders = 0, {}
for part = 0, 3 do      -- 10 records to each partition: every leader gets some
  acked = acked + p1:send_many(TOPIC, 10, part).acked
  leaders[lab.partition(TOPIC, part).leader] = true
end
local nleaders = 0
for _ in pairs(leaders) do nleaders = nleaders + 1 end
lab.check(acked == 40 and nleaders > 1, { en = ("all 40 writes acknowledged, by the leaders on %d brokers: one address was enough"):format(nleaders),
            ko = ("40건 모두 확인받았다: 브로커 %d대의 리더들이 받았다. 주소 하나로 충분했다"):format(nleaders) })

-- the learner stops p1's only bootstrap broker
lab.say{ en = "What if that one broker is down? Stop 101 yourself; p1 already knows the cluster.",
         ko = "그 브로커 하나가 꺼져 있다면? 101을 직접 멈춰 보세요. p1은 이미 클러스터를 압니다." }
lab.task{
  text = { en = "Stop broker 101 cleanly: select it with Tab and press s (or type :stop 101).",
           ko = "브로커 101을 정상 종료하세요: Tab으로 고르고 s를 누르세요 (또는 :stop 101 입력)." },
  hint = { en = "The grid's header names the brokers; Tab moves the selection to them.",
           ko = "그리드 맨 위에 브로커가 있습니다. Tab으로 선택을 옮깁니다." },
  done = function() return lab.status(101) == "DOWN" end,
  solve = function() lab.stop(101) end,
}
lab.run(3000)
local r = p1:send_many(TOPIC, 20)
lab.check(r.acked == 20, { en = "p1 goes on without 101: the bootstrap list is not used once a client knows the cluster",
            ko = "p1은 101 없이도 계속 쓴다: 클러스터를 알게 된 클라이언트는 부트스트랩 목록을 더 쓰지 않는다" })

-- a new client whose only bootstrap broker is down
lab.say{ en = "Now a new producer, p2, is given only 101. Brokers 102, 103 and 104 are alive.",
         ko = "이제 새 프로듀서 p2에게 101만 알려 줍니다. 브로커 102, 103, 104는 살아 있습니다." }
local late = lab.producer{ bootstrap = { 101 }, acks = "all" }
local off, err
lab.predict{
  question = { en = "Will p2's first write succeed?", ko = "p2의 첫 쓰기는 성공할까요?" },
  choices = { { en = "yes: it finds the live brokers", ko = "예: 살아 있는 브로커를 찾아낸다" },
              { en = "no: it never learns of them", ko = "아니요: 그 브로커들을 알 길이 없다" } },
  answer = 2,
  truth = function() return off and 1 or 2 end,
}
lab.messages{ show = true, layer = "kafka", nodes = { "p2" } }
lab.countdown{ text = { en = "p2 gives up in %s (max.block.ms, 60 s)", ko = "p2 포기까지 %s (max.block.ms 60초)" }, ms = 60000 }
local t0 = lab.now()
off, err = late:send(TOPIC, "k", "v")
local waited, tries = (lab.now() - t0) / 1000, late:stats().metadata_requests
lab.check(off == nil and err == "TIMEOUT", { en = ("a new client with only a dead bootstrap broker gets nowhere: %s after %.0f s, %d metadata requests, all to 101"):format(tostring(err), waited, tries),
            ko = ("죽은 부트스트랩 브로커 하나만 아는 새 클라이언트는 아무 데도 못 간다: %.0f초 뒤 %s, 메타데이터 요청 %d번 모두 101로"):format(waited, tostring(err), tries) })

-- the fix: any one live broker in the list
lab.say{ en = "Fix the list: it needs one broker that answers, not all of them. Start a producer that knows only 103.",
         ko = "목록을 고쳐 봅시다. 모든 브로커가 아니라 응답하는 브로커 하나면 됩니다. 103만 아는 프로듀서를 시작하세요." }
lab.messages{ show = false }
local base = written()
local fixed = lab.task{
  text = { en = "Type :produce events 10 103 and Enter (10 records, bootstrap list: 103).",
           ko = ":produce events 10 103 입력 후 Enter (레코드 10건, 부트스트랩 목록: 103)." },
  hint = { en = "The last word is the bootstrap list: broker ids, commas between them.",
           ko = "마지막 값이 부트스트랩 목록입니다: 브로커 id를 쉼표로 구분합니다." },
  done = function() local n = written() - base; if n >= 10 then return n end end,
  solve = function() lab.producer{ bootstrap = { 103 }, acks = "all" }:send_many(TOPIC, 10) end,
}
lab.run(500)
lab.check((fixed.value or 0) >= 10, { en = ("a producer that knew only 103 wrote %d records: one live broker in the list is enough"):format(fixed.value or 0),
            ko = ("103만 아는 프로듀서가 %d건을 썼다: 목록에 살아 있는 브로커 하나면 충분하다"):format(fixed.value or 0) })

lab.ask{
  question = { en = "So what should bootstrap.servers hold?", ko = "그렇다면 bootstrap.servers에는 무엇을 적어야 할까요?" },
  choices = { { en = "every broker, or the client misses some", ko = "모든 브로커: 아니면 일부를 놓친다" },
              { en = "a few, so one is up when a client starts", ko = "몇 대: 클라이언트가 시작할 때 하나는 살아 있도록" },
              { en = "only the controller", ko = "컨트롤러 하나만" } },
  answer = 2,
  why = { en = "Any broker answers Metadata with the whole cluster. The list only has to hold one that answers at start; listing every broker is harmless but not needed (large clusters list a few, or one DNS name).",
          ko = "어느 브로커든 Metadata 요청에 클러스터 전체를 알려 줍니다. 목록에는 시작할 때 응답할 브로커 하나만 있으면 됩니다. 모두 적어도 되지만 꼭 그럴 필요는 없습니다 (큰 클러스터는 몇 대나 DNS 이름 하나를 적습니다)." },
}

lab.say{ en = "Summary: bootstrap.servers is only where a client starts. Any broker that answers reveals the whole cluster, so any subset works; the client needs one of them up when it starts, and afterwards talks to the leaders themselves.",
         ko = "정리: bootstrap.servers는 클라이언트가 처음 찾아가는 곳일 뿐입니다. 응답하는 브로커 하나가 클러스터 전체를 알려 주므로 일부만 적어도 됩니다. 시작할 때 그중 하나만 살아 있으면 되고, 그 뒤로는 리더들과 직접 통신합니다." }
