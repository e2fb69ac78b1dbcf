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

lab.say{ en = "A topic is znodes too. Create orders (3 partitions, one copy each: replication comes in lesson 10): /brokers/topics/orders holds which broker has which partition, and each partition's state znode its leader.",
         ko = "토픽도 znode입니다. orders 토픽(파티션 3개, 각각 한 벌: 복제는 10강에서)을 만듭니다. /brokers/topics/orders에는 어느 브로커가 어느 파티션을 갖는지, 파티션마다 state znode에는 리더가 적힙니다." }
lab.create_topic{ name = "orders", partitions = 3, replication_factor = 1 }
lab.run(1000)
lab.check(zk:exists("/brokers/topics/orders") ~= nil,
          { en = "/brokers/topics/orders exists: the topic's assignment",
            ko = "/brokers/topics/orders가 생겼다: 토픽의 배치 정보" })
local sdata = zk:get("/brokers/topics/orders/partitions/0/state") or ""
local p0 = lab.partition("orders", 0)
lab.check(sdata:find('"leader":' .. tostring(p0.leader), 1, true) ~= nil,
          { en = ("orders-0's state znode names its leader, %d"):format(p0.leader),
            ko = ("orders-0의 state znode에 리더 %d이(가) 적혀 있다"):format(p0.leader) })

lab.say{ en = "The notes say: \"ZooKeeper keeps the list of brokers and their settings and passes it to every broker and syncs it.\" Half true: ZooKeeper keeps the list, but it passes nothing on by itself. It fires a watch to whoever set one, and Kafka's watches fire once: the controller sets its watch again each time it reads.",
         ko = "노트에는 \"Zookeeper는 브로커들의 목록과 설정을 유지하고, 이를 클러스터 내의 모든 브로커에 전달하고 동기화(sync)하는 기능을 제공한다\"고 되어 있습니다. 절반만 맞습니다. 목록은 주키퍼가 갖지만, 스스로 전달하지는 않습니다. 워치를 건 쪽에게 알릴 뿐이고, 카프카가 거는 워치는 한 번만 울립니다. 그래서 컨트롤러는 목록을 읽을 때마다 워치를 다시 겁니다." }
lab.ask{
  question = { en = "When a new broker registers under /brokers/ids, who gets the watch event?",
               ko = "새 브로커가 /brokers/ids 아래에 등록되면 누가 워치 이벤트를 받을까요?" },
  choices = { { en = "every broker", ko = "모든 브로커" },
              { en = "the controller alone", ko = "컨트롤러 혼자" },
              { en = "nobody: ZooKeeper copies the list to each broker", ko = "아무도: 주키퍼가 목록을 브로커마다 복사해 준다" } },
  answer = 2,
  why = { en = ("Only the controller (%d) watches /brokers/ids; it tells the brokers itself (UpdateMetadata)."):format(ctrl),
          ko = ("/brokers/ids를 지켜보는 것은 컨트롤러(%d)뿐이고, 브로커들에게는 컨트롤러가 직접 알립니다(UpdateMetadata)."):format(ctrl) },
}

lab.say{ en = ("Add a broker and watch the message view: ZooKeeper's watch event goes to the controller (%d), which reads /brokers/ids again and sends UpdateMetadata."):format(ctrl),
         ko = ("브로커를 하나 추가하고 메시지 뷰를 보세요. 주키퍼의 워치 이벤트가 컨트롤러(%d)에게 가고, 컨트롤러는 /brokers/ids를 다시 읽은 뒤 UpdateMetadata를 보냅니다."):format(ctrl) }
-- the controller's own traffic, ZooKeeper's and Kafka's, no pings
lab.messages{ show = true, layer = { "session", "kafka" }, nodes = { tostring(ctrl) } }
lab.predict{
  question = { en = "Broker 104 joins. How many of orders' 3 partitions move onto it?",
               ko = "브로커 104가 합류합니다. orders의 파티션 3개 중 몇 개가 104로 옮겨질까요?" },
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
           ko = "브로커 104를 시작하세요: :add-broker 104 를 입력하고 Enter를 누르세요." },
  hint = { en = "':' opens the command line at the bottom; ':add-broker' alone picks the next id, 104.",
           ko = "':' 를 누르면 아래에 명령줄이 열립니다. ':add-broker' 만 입력해도 다음 번호 104가 됩니다." },
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

lab.say{ en = "Now delete a topic. A deletion is only a request at first: /admin/delete_topics/orders. The controller's watch on that path fires; it sends StopReplica to every broker holding a replica, and removes the topic's znodes once all have deleted theirs.",
         ko = "이번에는 토픽을 삭제합니다. 삭제는 처음엔 요청일 뿐입니다: /admin/delete_topics/orders. 이 경로에 건 컨트롤러의 워치가 울리면 컨트롤러가 레플리카를 가진 브로커마다 StopReplica를 보내고, 모두 지운 뒤에 토픽의 znode를 지웁니다." }
lab.task{
  text = { en = "Delete orders: type :delete-topic orders and press Enter.",
           ko = "orders를 삭제하세요: :delete-topic orders 를 입력하고 Enter를 누르세요." },
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
lab.run_until(function() return not zk:exists("/brokers/topics/orders") end, 10000)
lab.run(500)
lab.check(zk:exists("/brokers/topics/orders") == nil and #kids("/admin/delete_topics") == 0,
          { en = "the controller removed /brokers/topics/orders and the deletion request",
            ko = "컨트롤러가 /brokers/topics/orders와 삭제 요청을 지웠다" })
lab.check(holds(101) == 0 and holds(102) == 0 and holds(103) == 0,
          { en = "StopReplica reached each broker: none holds a replica of orders now",
            ko = "StopReplica가 브로커마다 도착했다: 이제 아무도 orders의 레플리카를 갖고 있지 않다" })

lab.say{ en = "A topic created now does use 104: create events with 4 partitions and 2 copies each.",
         ko = "이제 만드는 토픽은 104도 씁니다. 파티션 4개, 각각 두 벌인 events 토픽을 만듭니다." }
lab.create_topic{ name = "events", partitions = 4, replication_factor = 2 }
lab.run(2000)
lab.check(holds(104) == 2,
          { en = "events' 8 replicas spread over 4 brokers: 104 holds 2, like the others",
            ko = "events의 레플리카 8개가 브로커 4대에 나뉘었다: 104도 다른 브로커처럼 2개를 갖는다" })

lab.say{ en = "A broker leaves: 104 stops cleanly. It closes its session, so ZooKeeper deletes /brokers/ids/104 at once, and the controller's watch fires again.",
         ko = "브로커가 떠납니다. 104를 정상 종료합니다. 104가 세션을 닫으므로 주키퍼가 /brokers/ids/104를 바로 지우고, 컨트롤러의 워치가 다시 울립니다." }
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

lab.say{ en = "Summary: ZooKeeper is the registry (/brokers/ids, /controller, /brokers/topics, /admin/delete_topics) and fires one-shot watches. Only the controller watches brokers and topics; it acts and tells the other brokers itself. A new broker gets metadata, not data: it holds replicas only of topics created after it, or of what a reassignment moves.",
         ko = "정리: 주키퍼는 레지스트리(/brokers/ids, /controller, /brokers/topics, /admin/delete_topics)이고 한 번 울리는 워치를 보냅니다. 브로커와 토픽을 지켜보는 것은 컨트롤러뿐이고, 컨트롤러가 직접 처리해서 다른 브로커에게 알립니다. 새 브로커는 메타데이터를 받을 뿐 데이터는 받지 않습니다. 그 뒤에 만든 토픽이나 재할당으로 옮긴 것만 레플리카로 갖습니다." }
