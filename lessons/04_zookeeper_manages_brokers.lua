-- Lesson 4: ZooKeeper manages the brokers. The notes say ZooKeeper keeps
-- the brokers' list and settings and "passes them to every broker and
-- syncs them", and notifies Kafka of changes (a topic created or deleted,
-- a broker added or removed). The registry part is true: /brokers/ids,
-- /controller and /brokers/topics are znodes. The passing is not
-- ZooKeeper's: it notifies only whoever set a watch, and for brokers and
-- topics that is the controller alone (BrokerChangeHandler,
-- TopicChangeHandler, TopicDeletionHandler in KafkaController); the other
-- brokers hear it from the controller (UpdateMetadata, LeaderAndIsr,
-- StopReplica). The learner adds a broker and deletes a topic and watches
-- the watch event and the controller's reaction in the message view.

local zk                      -- our own session, to read the registry

local function kids(path)
  local k = zk:children(path)
  return k or {}
end

local function holds(id)
  for _, b in ipairs(lab.brokers()) do
    if b.id == id then return b.replicas end
  end
end

local function known(id)
  for _, b in ipairs(lab.brokers()) do
    if b.id == id then return b.registered end
  end
  return false
end

lab.say{ en = "Lesson 4: ZooKeeper manages the brokers",
         ko = "4강: 주키퍼가 브로커를 관리한다" }
lab.cluster{ zookeepers = 3, brokers = 3, seed = 4 }
lab.wait_brokers()
zk = lab.zk_session{}
local ids = kids("/brokers/ids")
lab.check(#ids == 3 and ids[1] == "101" and ids[3] == "103",
          { en = "each broker registered itself: /brokers/ids holds 101, 102, 103",
            ko = "브로커마다 스스로 등록했다: /brokers/ids 아래에 101, 102, 103" })
local _, st = zk:get("/brokers/ids/101")
lab.check(st and st.ephemeral_owner ~= 0,
          { en = "/brokers/ids/101 is ephemeral: it lives as long as 101's session",
            ko = "/brokers/ids/101은 임시(ephemeral) znode다: 101의 세션이 살아 있는 동안만 있다" })
local ctrl = lab.controller()
local data = zk:get("/controller") or ""
lab.check(data:find('"brokerid":' .. ctrl, 1, true) ~= nil,
          { en = ("/controller names broker %d: the first broker to create it became the controller"):format(ctrl),
            ko = ("/controller에는 브로커 %d이(가) 적혀 있다: 이 znode를 먼저 만든 브로커가 컨트롤러가 된다"):format(ctrl) })

lab.say{ en = "A topic is znodes too. Create orders (3 partitions, one copy each): /brokers/topics/orders holds its assignment, each partition's state znode its leader.",
         ko = "토픽도 znode입니다. orders(파티션 3개, 각 한 벌)를 만듭니다. /brokers/topics/orders에 레플리카 배치가, 파티션마다 state znode에 리더가 적힙니다." }
lab.create_topic{ name = "orders", partitions = 3, replication_factor = 1 }
lab.run(1000)
lab.check(zk:exists("/brokers/topics/orders") ~= nil,
          { en = "/brokers/topics/orders exists: the topic's assignment",
            ko = "/brokers/topics/orders가 생겼다: 토픽의 레플리카 배치 정보" })
local sdata = zk:get("/brokers/topics/orders/partitions/0/state") or ""
local p0 = lab.partition("orders", 0)
lab.check(sdata:find('"leader":' .. tostring(p0.leader), 1, true) ~= nil,
          { en = ("orders-0's state znode names its leader, %d"):format(p0.leader),
            ko = ("orders-0의 state znode에 리더 %d이(가) 적혀 있다"):format(p0.leader) })

lab.say{ en = "The notes: \"ZooKeeper passes the broker list to every broker and syncs it\". Does it?",
         ko = "노트: \"Zookeeper는 브로커 목록을 모든 브로커에 전달하고 동기화한다\". 정말일까요?" }
lab.ask{
  question = { en = "A new broker registers: who gets the watch event?",
               ko = "새 브로커가 등록되면 누가 워치 이벤트를 받을까요?" },
  choices = { { en = "every broker", ko = "모든 브로커" },
              { en = "the controller alone", ko = "컨트롤러 혼자" },
              { en = "nobody: ZooKeeper copies the list", ko = "아무도: 주키퍼가 목록을 복사" } },
  answer = 2,
  why = { en = ("ZooKeeper passes nothing on: only the controller (%d) set a watch on /brokers/ids, and it tells the brokers itself."):format(ctrl),
          ko = ("주키퍼는 전달하지 않습니다. /brokers/ids에 워치를 건 것은 컨트롤러(%d)뿐이고, 브로커들에게는 컨트롤러가 알립니다."):format(ctrl) },
}

lab.say{ en = ("Add a broker and watch the message view: the watch event goes to controller %d, which reads /brokers/ids and sends UpdateMetadata."):format(ctrl),
         ko = ("브로커를 추가하고 메시지 뷰를 보세요. 워치 이벤트는 컨트롤러 %d에게 가고, 컨트롤러가 /brokers/ids를 읽고 UpdateMetadata를 보냅니다."):format(ctrl) }
-- the controller's own traffic, ZooKeeper's and Kafka's, no pings
lab.messages{ show = true, layer = { "session", "kafka" }, nodes = { tostring(ctrl) } }
lab.predict{
  question = { en = "104 joins: how many of orders' 3 partitions move to it?",
               ko = "104 합류: orders 파티션 3개 중 몇 개가 104로 옮겨질까요?" },
  choices = { { en = "none", ko = "0개" }, { en = "one, its fair share", ko = "1개 (공평한 몫)" },
              { en = "all three", ko = "3개 모두" } },
  answer = 1,
  truth = function()
    local n = 0
    for _, part in ipairs(lab.topic("orders") or {}) do
      for _, r in ipairs(part.replicas) do if r == 104 then n = n + 1 end end
    end
    return n == 0 and 1 or (n == 1 and 2 or 3)
  end,
}
lab.task{
  text = { en = "Start broker 104: type :add-broker 104 and press Enter.",
           ko = "브로커 104를 시작하세요: :add-broker 104를 입력하고 Enter를 누르세요." },
  hint = { en = "':' opens the command line at the bottom; ':add-broker' alone picks the next id, 104.",
           ko = "':'을 누르면 아래에 명령줄이 열립니다. ':add-broker'만 입력해도 다음 번호 104가 됩니다." },
  done = function() return holds(104) ~= nil end,
  solve = function() lab.add_broker{ id = 104 } end,
}
-- its registration, the watch and the UpdateMetadata take some 20 ms:
-- slowed down so each row of the message view can be read as it comes
lab.slow{ factor = 1000, ms = 40 }
lab.run(2000)
local id104 = 0
for _, k in ipairs(kids("/brokers/ids")) do if k == "104" then id104 = 1 end end
lab.check(id104 == 1,
          { en = "104 registered itself: /brokers/ids/104 appeared",
            ko = "104가 스스로 등록했다: /brokers/ids/104가 생겼다" })
lab.check(known(104),
          { en = ("the watch fired and controller %d read 104's registration (the events panel: 'controller: broker 104 joined')"):format(ctrl),
            ko = ("워치가 울렸고 컨트롤러 %d이(가) 104의 등록 정보를 읽었다 (이벤트 창의 '컨트롤러: 브로커 104 합류')"):format(ctrl) })
local via104 = lab.producer{ bootstrap = { 104 } }
lab.check(via104:send_many("orders", 5).acked == 5,
          { en = "104 got UpdateMetadata: a producer that knows only 104 finds orders' leaders through it",
            ko = "104가 UpdateMetadata를 받았다: 104만 아는 프로듀서도 104를 통해 orders의 리더를 찾는다" })
lab.check(holds(104) == 0,
          { en = "104 holds no replica: Kafka moves nothing onto a new broker by itself",
            ko = "104에는 레플리카가 하나도 없다: 카프카는 새 브로커로 아무것도 저절로 옮기지 않는다" })

lab.say{ en = "Delete a topic: at first only a request, /admin/delete_topics/orders. The controller's watch fires; it sends StopReplica, then removes the znodes.",
         ko = "토픽을 삭제합니다. 처음엔 /admin/delete_topics/orders라는 요청일 뿐입니다. 컨트롤러의 워치가 울리면 StopReplica를 보내고 znode를 지웁니다." }
lab.task{
  text = { en = "Delete orders: type :delete-topic orders and press Enter.",
           ko = "orders를 삭제하세요: :delete-topic orders를 입력하고 Enter를 누르세요." },
  hint = { en = "Watch the message view for StopReplica from the controller to 101, 102 and 103.",
           ko = "메시지 뷰에서 컨트롤러가 101, 102, 103에 보내는 StopReplica를 찾아보세요." },
  -- marked for deletion is enough: what follows plays in slow motion
  done = function()
    local t = lab.topic("orders")
    return t == nil or t[1].deleting
  end,
  solve = function() lab.delete_topic("orders") end,
}
lab.slow{ factor = 1000, ms = 40 }
-- held the instant the last StopReplica has done its work, while the
-- message view still shows them: the controller's znode writes that
-- follow (a dozen requests and replies) pushed them out of its rows.
-- TopicDeletionManager deletes the replicas first and removes the
-- topic's znodes only once every replica reported its deletion.
-- (each broker's own log of orders, gone with its StopReplica; its count
-- of replicas follows later, with the metadata)
local function none_hold()
  for p = 0, 2 do
    local part = lab.partition("orders", p)
    if part and next(part.leo) ~= nil then return false end
  end
  return true
end
lab.run_until(none_hold, 10000)
-- (lab.topic reads the ensemble's tree as it stands: a session's read
-- would run the world on for its round trip)
lab.check(none_hold() and lab.topic("orders") ~= nil,
          { en = ("StopReplica reached each broker (the message view: from controller %d, ↺ to itself, a StopReplicaResp back from each): none holds a replica of orders, yet /brokers/topics/orders is still there"):format(ctrl),
            ko = ("StopReplica가 브로커마다 도착했다 (메시지 뷰: 컨트롤러 %d이(가) 보냈고, ↺는 자기 자신에게, 각 브로커가 StopReplicaResp로 답함): 아무도 orders의 레플리카를 갖고 있지 않지만 /brokers/topics/orders는 아직 있다"):format(ctrl) })

lab.say{ en = "Every replica is deleted: only now does the controller remove the topic's znodes, /brokers/topics/orders and the deletion request.",
         ko = "레플리카가 모두 지워졌습니다. 이제야 컨트롤러가 토픽의 znode인 /brokers/topics/orders와 삭제 요청을 지웁니다." }
lab.run_until(function() return not zk:exists("/brokers/topics/orders") end, 10000)
lab.run(500)
lab.check(zk:exists("/brokers/topics/orders") == nil and #kids("/admin/delete_topics") == 0,
          { en = "the controller removed /brokers/topics/orders and the deletion request",
            ko = "컨트롤러가 /brokers/topics/orders와 삭제 요청을 지웠다" })

lab.say{ en = "A topic created now uses 104: events, 4 partitions, 2 copies each.",
         ko = "지금 만드는 토픽은 104도 씁니다. events: 파티션 4개, 각 두 벌." }
lab.create_topic{ name = "events", partitions = 4, replication_factor = 2 }
lab.run(2000)
lab.check(holds(104) == 2,
          { en = "events' 8 replicas spread over 4 brokers: 104 holds 2, like the others",
            ko = "events의 레플리카 8개가 브로커 4대에 나뉘었다: 104도 다른 브로커처럼 2개를 갖는다" })

lab.say{ en = "A broker leaves: 104 stops cleanly and closes its session, so /brokers/ids/104 goes at once and the controller's watch fires again.",
         ko = "브로커가 떠납니다. 104가 정상 종료하며 세션을 닫으니 /brokers/ids/104가 바로 지워지고 컨트롤러의 워치가 다시 울립니다." }
local led = {}
for _, part in ipairs(lab.topic("events")) do
  if part.leader == 104 then led[#led + 1] = part.partition end
end
lab.stop(104)
lab.run(1000)
local still = false
for _, k in ipairs(kids("/brokers/ids")) do still = still or k == "104" end
lab.check(not still,
          { en = "/brokers/ids/104 is gone with its session",
            ko = "/brokers/ids/104가 세션과 함께 사라졌다" })
local inisr, moved = false, true
for _, part in ipairs(lab.topic("events")) do
  for _, r in ipairs(part.isr) do inisr = inisr or r == 104 end
  moved = moved and part.leader ~= nil and part.leader ~= 104
end
lab.check(moved, { en = ("every events partition has a live leader (104 led %d; the controller moved them)"):format(#led),
                   ko = ("events의 파티션마다 살아 있는 리더가 있다 (104가 이끌던 %d개는 컨트롤러가 옮겼다)"):format(#led) })
lab.check(not inisr, { en = "104 is in no ISR: the controller took it out",
                       ko = "104는 어느 ISR에도 없다: 컨트롤러가 뺐다" })

lab.say{ en = "Summary: ZooKeeper holds the registry and fires watches; only the controller watches brokers and topics, and tells the other brokers itself. A new broker gets metadata, not data, until a new topic or a reassignment.",
         ko = "정리: 주키퍼는 레지스트리를 갖고 워치를 보냅니다. 브로커와 토픽을 지켜보는 것은 컨트롤러뿐이고, 다른 브로커에게는 컨트롤러가 알립니다. 새 브로커는 새 토픽이나 재할당 전까지 메타데이터만 받습니다." }
