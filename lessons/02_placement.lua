-- Lesson 2: where partitions go. The notes say broker ids and partition
-- ids are unrelated (true), and that Kafka picks each partition's place
-- by where partitions already are and by disk usage (not at creation:
-- Kafka's placement is a formula, a random start then round robin). The
-- learner predicts and creates a topic on a lopsided cluster, then moves
-- a replica as kafka-reassign-partitions does (:reassign).

local function replicas_of(topic, p) return table.concat(lab.partition(topic, p).replicas, ",") end
local function held(topic)
  local n = {}
  for _, p in ipairs(lab.topic(topic) or {}) do
    for _, b in ipairs(p.replicas) do n[b] = (n[b] or 0) + 1 end
  end
  return n
end

lab.say{ en = "Lesson 2: where partitions go",
         ko = "2강: 파티션은 어디에 놓일까" }
lab.cluster{ zookeepers = 3, brokers = 4, seed = 1 }
lab.check(lab.wait_brokers(4), { en = "four brokers, 101 to 104, registered",
            ko = "브로커 4대(101~104) 등록 완료" })

-- partition numbers and broker ids: unrelated, and the start is random
lab.say{ en = "The notes: broker ids and partition ids \"are not related at all\". Topics x and y get 4 partitions with 2 copies each.",
         ko = "노트: 브로커 ID와 파티션 ID는 \"결론적으로 아무런 관계도 없다\". 토픽 x와 y에 파티션 4개씩, 각 2벌을 만듭니다." }
lab.predict{
  question = { en = "Which broker will hold the first copy of x-0 (partition 0)?",
               ko = "x-0(파티션 0)의 첫 번째 복제본은 어느 브로커에 놓일까요?" },
  choices = { { en = "101, the first broker", ko = "101, 첫 번째 브로커" },
              { en = "any of them: the start is random", ko = "어느 것이든: 시작점은 무작위" } },
  answer = 2,
  truth = function() return lab.partition("x", 0).replicas[1] == 101 and 1 or 2 end,
}
lab.create_topic{ name = "x", partitions = 4, replication_factor = 2 }
lab.create_topic{ name = "y", partitions = 4, replication_factor = 2 }
lab.run(500)
lab.check(lab.partition("x", 0).replicas[1] ~= lab.partition("y", 0).replicas[1],
          { en = ("x-0 is on {%s}, y-0 on {%s}: a partition number says nothing of its broker"):format(replicas_of("x", 0), replicas_of("y", 0)),
            ko = ("x-0은 {%s}, y-0은 {%s}에 있다: 파티션 번호로는 브로커를 알 수 없다"):format(replicas_of("x", 0), replicas_of("y", 0)) })

-- the formula: first copies round robin from a random start, each
-- partition led by its first copy (the preferred leader)
lab.say{ en = "Kafka's formula: partition p's first copy goes to the broker after the previous partition's, from a random start; the other copies follow, shifted by a random step. The first copy leads (the preferred leader).",
         ko = "카프카의 공식: 파티션 p의 첫 복제본은 앞 파티션 다음 브로커에 놓이고 시작점은 무작위입니다. 나머지 복제본은 무작위 간격만큼 밀려 뒤따릅니다. 첫 복제본이 리더(선호 리더)입니다." }
local ids = { 101, 102, 103, 104 }
local function round_robin(topic)
  local first = lab.partition(topic, 0).replicas[1] - 101
  for p = 0, 3 do
    local part = lab.partition(topic, p)
    if part.replicas[1] ~= ids[(first + p) % 4 + 1] or part.leader ~= part.replicas[1] then return false end
  end
  return true
end
local firsts = {}
for p = 0, 3 do firsts[#firsts + 1] = lab.partition("x", p).replicas[1] end
lab.check(round_robin("x") and round_robin("y"),
          { en = ("first copies of x-0..x-3 on %s, each the leader: round robin from a random start (y's too)"):format(table.concat(firsts, ", ")),
            ko = ("x-0..x-3의 첫 복제본은 %s이고 각각 리더다: 무작위 시작점부터 차례대로 (y도 같다)"):format(table.concat(firsts, ", ")) })

-- a lopsided cluster: 103 and 104 were down while 'heavy' was made
lab.say{ en = "Now a lopsided cluster: 103 and 104 are down while topic heavy is made, so it lands on 101 and 102; then they come back and heavy gets 4000 records.",
         ko = "이번엔 한쪽으로 쏠린 클러스터입니다. 103과 104가 꺼져 있는 동안 heavy 토픽을 만들어 101과 102에만 놓고, 둘을 되살린 뒤 heavy에 4000건을 씁니다." }
lab.stop(103)
lab.stop(104)
lab.run(500)
lab.create_topic{ name = "heavy", partitions = 4, replication_factor = 2 }
lab.restart(103)
lab.restart(104)
lab.wait_brokers(4)
local p1 = lab.producer{ bootstrap = { 101, 102 }, acks = "all" }
for part = 0, 3 do p1:send_many("heavy", 1000, part) end
lab.run(1000)
local h = held("heavy")
local records = lab.partition("heavy", 0).hw
lab.check((h[101] or 0) == 4 and (h[102] or 0) == 4 and not h[103] and not h[104],
          { en = ("heavy's 4 partitions (%d records each) all have their copies on 101 and 102, none on 103 or 104"):format(records),
            ko = ("heavy의 파티션 4개(각 %d건)는 복제본이 모두 101과 102에 있고, 103과 104에는 없다"):format(records) })

-- the notes: Kafka weighs partitions and disk. The learner predicts, then
-- makes the topic
lab.say{ en = "The notes: \"Kafka weighs where partitions already are and disk usage, and picks the best brokers\". Predict, then make a topic.",
         ko = "노트: \"Kafka 클러스터는 파티션이 어디에 많이 생성되어 있고, 디스크 사용량이 어떤지 등을 고려하여 파티션의 최적 위치를 자동으로 결정한다\". 예측한 뒤 토픽을 만들어 보세요." }
local new_choice = 2
lab.predict{
  question = { en = "Topic new: 4 partitions, 1 copy each. Where will they go?",
               ko = "토픽 new: 파티션 4개, 파티션마다 복제본 1개. 어디에 놓일까요?" },
  choices = { { en = "all on 103 and 104, the empty ones", ko = "모두 비어 있는 103과 104에" },
              { en = "one on each broker, full or empty", ko = "차 있든 비었든 브로커마다 하나씩" },
              { en = "on 101 and 102, with the others", ko = "다른 파티션이 있는 101과 102에" } },
  answer = 2,
  truth = function() return new_choice end,
}
local made = lab.task{
  text = { en = "Type :topic new 4 1 and Enter.", ko = ":topic new 4 1 입력 후 Enter." },
  hint = { en = "':' opens the command line; the grid then shows new-0..new-3.",
           ko = "':'로 명령줄을 엽니다. 그다음 그리드에 new-0..new-3이 생깁니다." },
  done = function()
    local t = lab.topic("new")
    if not t then return nil end
    for _, p in ipairs(t) do if not p.leader then return nil end end
    return #t
  end,
  solve = function() lab.create_topic{ name = "new", partitions = 4, replication_factor = 1 } end,
}
lab.run(500)
local f = held("new")
local full, empty = (f[101] or 0) + (f[102] or 0), (f[103] or 0) + (f[104] or 0)
new_choice = full == 0 and 1 or empty == 0 and 3 or 2
lab.check((f[101] or 0) >= 1 and (f[102] or 0) >= 1,
          { en = ("new on 101: %d, 102: %d, 103: %d, 104: %d; the full brokers got their share: nothing was weighed"):format(f[101] or 0, f[102] or 0, f[103] or 0, f[104] or 0),
            ko = ("new: 101에 %d, 102에 %d, 103에 %d, 104에 %d; 꽉 찬 브로커도 제 몫을 받았다: 아무것도 따지지 않았다"):format(f[101] or 0, f[102] or 0, f[103] or 0, f[104] or 0) })

-- balancing is a separate, explicit step: a reassignment
local before = lab.partition("heavy", 0)
local leaving = before.replicas[1]
local target = { 103 }
for _, r in ipairs(before.replicas) do if r ~= leaving then target[#target + 1] = r end end
local tlist = table.concat(target, ",")
lab.say{ en = ("Balancing is a separate step an operator (or a tool such as Cruise Control) takes: kafka-reassign-partitions moves replicas. Move heavy-0's copy from %d to the empty 103."):format(leaving),
         ko = ("균형 맞추기는 운영자(또는 Cruise Control 같은 도구)가 따로 하는 일입니다: kafka-reassign-partitions가 복제본을 옮깁니다. heavy-0의 복제본을 %d에서 비어 있는 103으로 옮겨 보세요."):format(leaving) }
local moved = lab.task{
  text = { en = ("Type :reassign heavy 0 %s and Enter (the new replica list)."):format(tlist),
           ko = (":reassign heavy 0 %s 입력 후 Enter (새 복제본 목록)."):format(tlist) },
  hint = { en = "The list names the brokers that should hold heavy-0 afterwards, the first one its preferred leader.",
           ko = "목록은 옮긴 뒤 heavy-0을 가질 브로커들이고, 첫 번째가 선호 리더입니다." },
  done = function()
    local p = lab.partition("heavy", 0)
    if #p.adding > 0 or p.replicas[1] == 103 then return table.concat(p.replicas, ",") end
  end,
  solve = function() lab.reassign{ topic = "heavy", partition = 0, replicas = target } end,
}
local during = lab.partition("heavy", 0)
lab.check(#during.adding == 0 or (#during.replicas == 3 and during.adding[1] == 103),
          { en = ("first the topic's znode gets both lists: replicas {%s}, adding {%s}, removing {%s}"):format(
              table.concat(during.replicas, ","), table.concat(during.adding, ","), table.concat(during.removing, ",")),
            ko = ("먼저 토픽 znode에 두 목록이 함께 들어간다: 복제본 {%s}, 추가 {%s}, 제거 {%s}"):format(
              table.concat(during.replicas, ","), table.concat(during.adding, ","), table.concat(during.removing, ",")) })

lab.say{ en = ("Now 103 copies heavy-0's log from the leader (Fetch), joins the ISR, the controller moves leadership off %d and has it delete its copy (StopReplica)."):format(leaving),
         ko = ("이제 103이 리더에게서 heavy-0의 로그를 복사하고(Fetch) ISR에 들어갑니다. 그러면 컨트롤러가 리더를 %d에서 옮기고 그 복사본을 지우게 합니다(StopReplica)."):format(leaving) }
lab.messages{ show = true, layer = "kafka", nodes = { "103" } }
lab.slow{ factor = 20, ms = 500 }
lab.run_until(function() return #lab.partition("heavy", 0).adding == 0 and lab.partition("heavy", 0).leader == 103 end, 30000)
lab.run(500)
local after = lab.partition("heavy", 0)
lab.check(table.concat(after.replicas, ",") == tlist and after.leader == 103 and after.leo[103] == before.hw and after.leo[leaving] == nil,
          { en = ("heavy-0 is on {%s}, led by 103, which holds all %d records; %d deleted its copy"):format(tlist, after.leo[103] or -1, leaving),
            ko = ("heavy-0은 {%s}에 있고 리더는 103, 103이 %d건을 모두 갖는다. %d은(는) 복사본을 지웠다"):format(tlist, after.leo[103] or -1, leaving) })
lab.check(after.leader_epoch == before.leader_epoch + 3,
          { en = ("leader epoch %d -> %d: new replicas told, leader moved, old copy out of the ISR"):format(before.leader_epoch, after.leader_epoch),
            ko = ("리더 에포크 %d -> %d: 새 복제본 알림, 리더 이동, 옛 복사본 ISR 제외"):format(before.leader_epoch, after.leader_epoch) })
lab.check(lab.audit().lost == 0, { en = "no acknowledged record lost on the way", ko = "옮기는 동안 확인된 기록은 하나도 잃지 않았다" })

lab.ask{
  question = { en = "What did moving heavy-0 cost?", ko = "heavy-0을 옮기는 데 무엇이 들었을까요?" },
  choices = { { en = "nothing: only metadata changed", ko = "없음: 메타데이터만 바뀜" },
              { en = "103 copied the whole partition before the old copy went", ko = "옛 복사본이 빠지기 전에 103이 파티션 전체를 복사함" },
              { en = "heavy-0 was offline during the move", ko = "옮기는 동안 heavy-0이 멈춤" } },
  answer = 2,
  why = { en = "A reassignment copies every record to the new broker, and the partition keeps serving meanwhile. With terabytes that takes hours, so real moves are throttled and planned.",
          ko = "재할당은 모든 기록을 새 브로커로 복사하고, 그동안 파티션은 계속 서비스합니다. 테라바이트 단위면 몇 시간이 걸려서 실제로는 속도를 제한하고 계획해서 옮깁니다." },
}
lab.messages{ show = false }

lab.say{ en = "Summary: partition numbers and broker ids are unrelated; creation places copies by a formula (random start, round robin, first copy leads) and weighs neither partitions nor disk. Moving load is a reassignment: new copies catch up, then old ones go.",
         ko = "정리: 파티션 번호와 브로커 id는 무관합니다. 생성 시 레플리카 배치는 공식(무작위 시작, 차례대로, 첫 복제본이 리더)이고 파티션 수도 디스크도 따지지 않습니다. 부하를 옮기는 건 재할당입니다: 새 복제본이 따라잡은 뒤 옛 복제본이 빠집니다." }
