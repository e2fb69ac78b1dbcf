-- Lesson 1: brokers and the cluster. The notes say a broker is a Kafka
-- server known by a numeric id, that it holds part of a topic's
-- partitions and never the whole data, that a cluster is several brokers,
-- and that a client connected to one broker is connected to them all.
-- The learner makes a topic, predicts what a copy on every broker does to
-- "only part of the data", and watches a client that knows one broker
-- write to all four.

local TOPIC_EN = "orders"

lab.say{ en = "Lesson 1: brokers, partitions and the cluster",
         ko = "1강: 브로커, 파티션, 클러스터" }
lab.cluster{ zookeepers = 3, brokers = 4, seed = 11 }
lab.check(lab.wait_brokers(4), { en = "four brokers start and register",
            ko = "브로커 4대가 시작해 등록한다" })

lab.say{ en = "A broker is one Kafka server, named by a number (101 to 104). The four make a cluster: each registered under /brokers/ids in ZooKeeper, and the one marked * is also the controller.",
         ko = "브로커는 숫자 id로 불리는 카프카 서버 한 대입니다 (101~104). 네 대가 한 클러스터이고, 각자 주키퍼의 /brokers/ids에 등록했습니다. * 표시가 컨트롤러입니다." }
-- what each broker registered in ZooKeeper: its number under /brokers/ids
local zk = lab.zk_session{ timeout_ms = 6000 }
local ids = zk:children("/brokers/ids")
local ctrl = lab.controller()
lab.check(#ids == 4 and ids[1] == "101" and ids[4] == "104" and ctrl ~= nil and ctrl >= 101 and ctrl <= 104,
          { en = ("/brokers/ids: %s; the controller is %d, one of them"):format(table.concat(ids, ", "), ctrl or -1),
            ko = ("/brokers/ids: %s, 컨트롤러는 그중 %d"):format(table.concat(ids, ", "), ctrl or -1) })

-- the learner makes the topic; whatever they typed, what follows reads it
lab.say{ en = "A topic is split into partitions, each kept on some of the brokers. Make one and see where its partitions go.",
         ko = "토픽은 파티션으로 나뉘고, 파티션은 일부 브로커에 놓입니다. 직접 만들어 보세요." }
local function first_topic()
  for _, name in ipairs({ TOPIC_EN, "all" }) do
    local t = lab.topic(name)
    if t then
      for _, p in ipairs(t) do if not p.leader then return nil end end
      return name
    end
  end
end
local made = lab.task{
  text = { en = "Type :topic orders 4 1 and Enter (4 partitions, 1 copy each).",
           ko = ":topic orders 4 1 입력 후 Enter (파티션 4개, 파티션마다 복제본 1개)." },
  hint = { en = "':' opens the command line at the bottom; the PLACEMENT grid then shows a row per partition.",
           ko = "':'를 누르면 아래에 명령줄이 열립니다. 그다음 파티션 배치 그리드에 파티션마다 한 줄이 생깁니다." },
  done = first_topic,
  solve = function() lab.create_topic{ name = TOPIC_EN, partitions = 4, replication_factor = 1 } end,
}
local topic = made.value or TOPIC_EN
lab.run(1000)
local parts = lab.topic(topic)
local held = {}
for _, p in ipairs(parts) do
  for _, b in ipairs(p.replicas) do held[b] = (held[b] or 0) + 1 end
end
local rf = #parts[1].replicas
local part_of, counts = true, {}
for _, b in ipairs(lab.brokers()) do
  local n = held[b.id] or 0
  part_of = part_of and (n < #parts or rf == 4)
  counts[#counts + 1] = ("%d: %d"):format(b.id, n)
end
lab.check(part_of, { en = ("each broker holds part of the %d partitions of %s (%s)"):format(#parts, topic, table.concat(counts, ", ")),
            ko = ("브로커마다 %s의 파티션 %d개 중 일부를 갖는다 (%s)"):format(topic, #parts, table.concat(counts, ", ")) })

-- the notes: a broker holds only part of a topic. True while the copies
-- are fewer than the brokers; with a copy on each, every broker has it all
lab.say{ en = "The notes: \"a broker holds only part of a topic, never the whole data\". Now a topic with a copy of each partition on all 4 brokers.",
         ko = "노트: \"Topic 데이터의 일부분(partition)을 갖을 뿐 데이터 전체를 갖고 있지 않음\". 이번엔 파티션마다 브로커 4대 모두에 복제본을 둡니다." }
local whole = 0
lab.predict{
  question = { en = "Topic 'all', 4 partitions, 4 copies each: how many of them will broker 101 hold?",
               ko = "토픽 'all', 파티션 4개, 각 4벌: 브로커 101은(는) 그중 몇 개를 갖게 될까요?" },
  choices = { { en = "only one, its own share", ko = "1개뿐, 자기 몫만" },
              { en = "two, half of them", ko = "2개, 절반" },
              { en = "all four", ko = "4개 전부" } },
  answer = 3,
  truth = function() return whole == 4 and 3 or whole == 2 and 2 or 1 end,
}
lab.create_topic{ name = "all", partitions = 4, replication_factor = 4 }
lab.run(1000)
for _, p in ipairs(lab.topic("all")) do
  for _, b in ipairs(p.replicas) do if b == 101 then whole = whole + 1 end end
end
lab.check(whole == 4 and lab.partition("all", 0).leader ~= lab.partition("all", 1).leader,
          { en = "101 holds all 4: 'only part' is true only while the copies are fewer than the brokers (the leaders are still spread)",
            ko = "101이 4개 전부를 갖는다: '일부분만'은 복제본 수가 브로커 수보다 적을 때만 맞다 (리더는 여전히 나뉨)" })

-- one broker reaches them all: p1 knows 101 only
lab.say{ en = ("One broker reaches them all. Producer p1 knows only 101: it asks 101 for metadata, then writes to each leader of %s itself (the messages below)."):format(topic),
         ko = ("브로커 하나로 전체에 닿습니다. 프로듀서 p1은 101만 압니다: 101에게 메타데이터를 묻고, %s의 각 리더에게 직접 씁니다 (아래 메시지)."):format(topic) }
local p1 = lab.producer{ bootstrap = { 101 }, acks = 1 }
lab.messages{ show = true, layer = "kafka", nodes = { "p1" } }
local leaders, acked = {}, 0
for i, part in ipairs(lab.topic(topic)) do
  acked = acked + p1:send_many(topic, 10, i - 1).acked
  leaders[part.leader] = true
end
lab.run(500)
local others = {}
for id in pairs(leaders) do if id ~= 101 then others[#others + 1] = id end end
table.sort(others)
local list = table.concat(others, ", ")
lab.check(acked == 10 * #parts and #others >= 1,
          { en = ("%d records acknowledged, by leaders on %s too"):format(acked, list),
            ko = ("%d건 확인(ack), %s의 리더들도 받았다"):format(acked, list) })

lab.ask{
  question = { en = "p1 was given only broker 101. Why could it write to the others?",
               ko = "p1은(는) 브로커 101만 알았습니다. 어떻게 다른 브로커에도 쓸 수 있었을까요?" },
  choices = { { en = "101 forwarded its records to the others", ko = "101이 기록을 다른 브로커로 넘겨 줘서" },
              { en = "101 told it every broker and leader; p1 then connected to them itself", ko = "101이 모든 브로커와 리더를 알려 줘서 p1이 직접 연결했기 때문에" },
              { en = "ZooKeeper sent p1 the list", ko = "주키퍼가 p1에게 목록을 보내 줘서" } },
  answer = 2,
  why = { en = "Any broker answers Metadata with the whole cluster from its cache. Brokers never forward a produce (a non-leader answers NOT_LEADER_OR_FOLLOWER), and clients never talk to ZooKeeper.",
          ko = "어느 브로커든 Metadata 요청에 캐시에 있는 클러스터 전체를 알려 줍니다. 브로커는 Produce를 넘겨 주지 않고 (리더가 아니면 NOT_LEADER_OR_FOLLOWER), 클라이언트는 주키퍼와 통신하지 않습니다." },
}
lab.messages{ show = false }

lab.say{ en = "Summary: a broker is a Kafka server with a numeric id holding some partitions (all, when every broker has a copy). A cluster is the brokers of one ZooKeeper, one the controller. One reachable broker shows a client the whole cluster; lesson 3: when that broker is down.",
         ko = "정리: 브로커는 숫자 id를 가진 카프카 서버로 파티션 일부를 갖습니다 (모든 브로커에 복제본을 두면 전부). 클러스터는 한 주키퍼에 등록된 브로커들이고 하나가 컨트롤러입니다. 닿는 브로커 하나면 클라이언트가 전체를 압니다. 그 하나가 죽으면? 3강에서." }
