-- Lesson 11: why four or more brokers. The notes give three reasons:
-- fault tolerance ("with 4 or more, one down still allows a majority vote
-- for leaders"), load spreading, and maintenance ("one broker down for
-- maintenance barely matters"). Brokers do not vote (lesson 10); what a
-- 3-broker cluster with RF 3 and min.insync.replicas 2 cannot survive is
-- one broker down for maintenance plus one failure. A fourth broker helps
-- only through what is put on it: new topics spread over it, and a
-- reassignment (kafka-reassign-partitions, KafkaController.
-- onPartitionReassignment) can move replicas off the broker going down
-- for maintenance. Kafka moves and re-creates nothing by itself: an RF 3
-- partition keeps its three assigned replicas, a dead one included.

local function writable(prod, n)
  local r = prod:send_many("pay", n)
  return r.acked, r
end

-- partitions that take acks=all writes: their ISR has at least 2 live
-- members (min.insync.replicas 2) and a leader
local function open_parts()
  local n = 0
  for _, part in ipairs(lab.topic("pay")) do
    if part.leader and #part.isr >= 2 then n = n + 1 end
  end
  return n
end

local function without(id)
  return function()
    for _, part in ipairs(lab.topic("pay")) do
      for _, r in ipairs(part.isr) do if r == id then return false end end
    end
    return true
  end
end

local function is_down(id)
  for _, b in ipairs(lab.brokers()) do
    if b.id == id then return not b.up end
  end
  return false
end

lab.say{ en = "Lesson 11: what a fourth broker buys, and what it does not",
         ko = "11강: 네 번째 브로커가 주는 것과 주지 않는 것" }
lab.cluster{ zookeepers = 3, brokers = 3, seed = 11 }
lab.wait_brokers(3)
lab.create_topic{ name = "pay", partitions = 3, replication_factor = 3,
                  config = { ["min.insync.replicas"] = 2 } }
lab.run(2000)
-- short timeouts: a refused write gives up in seconds, not minutes
local p = lab.producer{ acks = "all", request_timeout_ms = 5000, delivery_timeout_ms = 10000 }
lab.check(p:send_many("pay", 30).acked == 30,
          { en = "three brokers, pay: 3 partitions, RF 3, min.insync.replicas 2, acks=all writes work",
            ko = "브로커 3대, pay: 파티션 3개, RF 3, min.insync.replicas 2, acks=all 쓰기가 된다" })

lab.say{ en = "The notes: \"with 4 or more, one down still allows a majority vote for the leader\". Brokers do not vote (lesson 10). Take one down for maintenance.",
         ko = "노트: \"4대 이상이면 한 대가 다운되더라도 여전히 다수결로 리더를 선출할 수 있다\". 브로커는 투표하지 않습니다(10강). 한 대를 점검으로 내려 봅니다." }
lab.task{
  text = { en = "Take 103 down for maintenance: type :stop 103 (or select it with Tab and press s).",
           ko = "103을 점검하려고 내립니다: :stop 103을 입력하세요 (또는 Tab으로 고르고 s)." },
  hint = { en = "A clean stop hands 103's leaderships over before it exits.",
           ko = "정상 종료는 103이 맡던 리더 역할을 먼저 넘긴 뒤 끝납니다." },
  done = function() return is_down(103) end,
  solve = function() lab.stop(103) end,
}
lab.run(2000)
lab.check(writable(p, 30) == 30 and open_parts() == 3,
          { en = "103 down: every partition still has two in-sync replicas and takes acks=all writes",
            ko = "103이 내려가도 파티션마다 ISR이 두 대라 acks=all 쓰기를 받는다" })

lab.say{ en = "While 103 is in maintenance, 102 crashes; once its session expires it leaves the ISRs.",
         ko = "103이 점검 중일 때 102가 죽습니다. 세션이 만료되면 ISR에서 빠집니다." }
lab.predict{
  question = { en = "103 down, 102 crashed: how many of pay's 3 partitions take writes?",
               ko = "103 점검, 102 죽음: pay 파티션 3개 중 몇 개가 쓰기를 받을까요?" },
  choices = { { en = "none", ko = "0개" }, { en = "one or two", ko = "1~2개" }, { en = "all three", ko = "3개 모두" } },
  answer = 1,
  truth = function()
    local n = open_parts()
    return n == 0 and 1 or (n == 3 and 3 or 2)
  end,
}
lab.kill(102)
lab.countdown{ text = { en = "102's session expires in %s at most", ko = "102 세션 만료까지 최대 %s" }, ms = 20000 }
lab.run_until(without(102), 40000)
local acked, r = writable(p, 5)
lab.check(acked == 0 and (r.retried.NOT_ENOUGH_REPLICAS or 0) > 0,
          { en = "no partition takes writes: each has one live replica of its three, under min.insync.replicas 2 (NOT_ENOUGH_REPLICAS)",
            ko = "쓰기를 받는 파티션이 없다: 파티션마다 세 레플리카 중 살아 있는 것이 하나뿐이라 min.insync.replicas 2에 못 미친다 (NOT_ENOUGH_REPLICAS)" })

lab.say{ en = "Both come back; now grow the cluster: start a fourth broker. Does it take any of pay's replicas?",
         ko = "두 대를 되살리고 네 번째 브로커를 시작합니다. pay의 레플리카를 가져갈까요?" }
lab.restart(102)
lab.restart(103)
lab.wait_brokers(3)
lab.run_until(function()
  for _, part in ipairs(lab.topic("pay")) do if #part.isr < 3 then return false end end
  return true
end, 60000)
lab.task{
  text = { en = "Start broker 104: type :add-broker 104 and press Enter.",
           ko = "브로커 104를 시작하세요: :add-broker 104를 입력하고 Enter를 누르세요." },
  hint = { en = "':' opens the command line; lesson 4 showed what a new broker does.",
           ko = "':'을 누르면 명령줄이 열립니다. 새 브로커가 하는 일은 4강에서 보았습니다." },
  done = function()
    for _, b in ipairs(lab.brokers()) do if b.id == 104 then return b.registered end end
  end,
  solve = function() lab.add_broker{ id = 104 } end,
}
lab.run(3000)
local on104 = 0
for _, b in ipairs(lab.brokers()) do if b.id == 104 then on104 = b.replicas end end
lab.check(on104 == 0,
          { en = "104 holds nothing: the same two failures would still stop every partition of pay",
            ko = "104에는 아무것도 없다: 같은 두 대의 장애가 나면 pay의 모든 파티션이 여전히 멈춘다" })
lab.create_topic{ name = "clicks", partitions = 8, replication_factor = 2 }
lab.run(2000)
local led = {}
for _, part in ipairs(lab.topic("clicks")) do
  if part.leader then led[part.leader] = (led[part.leader] or 0) + 1 end
end
local even = true
for id = 101, 104 do even = even and led[id] == 2 end
lab.check(even,
          { en = "load spread, the notes' second reason: a topic made now puts 2 of its 8 leaders on each of the 4 brokers, 104 included",
            ko = "노트의 두 번째 이유인 부하 분산: 지금 만든 토픽은 리더 8개를 브로커 4대에 2개씩, 104에도 나눈다" })

lab.say{ en = "What 104 buys is room: before 103 goes down again, move its replicas to 104 (kafka-reassign-partitions). You move pay-0; the lesson moves the other two.",
         ko = "104가 주는 것은 여유 공간입니다. 103을 다시 내리기 전에 레플리카를 104로 옮깁니다(kafka-reassign-partitions). pay-0은 직접, 나머지 둘은 레슨이 옮깁니다." }
-- pay-0's target: its replicas with 104 in 103's place, order kept
local function target(part)
  local t = {}
  for _, id in ipairs(lab.partition("pay", part).replicas) do t[#t + 1] = id == 103 and 104 or id end
  return t
end
local t0 = target(0)
lab.task{
  text = { en = ("Move pay-0 off 103: type :reassign pay 0 %s and press Enter."):format(table.concat(t0, ",")),
           ko = ("pay-0을 103에서 옮기세요: :reassign pay 0 %s를 입력하고 Enter를 누르세요."):format(table.concat(t0, ",")) },
  hint = { en = "The list is the partition's new replicas: 104 takes 103's place; the first one is the preferred leader.",
           ko = "목록은 파티션의 새 레플리카입니다. 104가 103의 자리를 갖고, 맨 앞이 선호 리더입니다." },
  done = function()
    for _, id in ipairs(lab.partition("pay", 0).replicas) do if id == 104 then return true end end
  end,
  solve = function() lab.reassign{ topic = "pay", partition = 0, replicas = t0 } end,
}
-- the lesson moves the other two the same way
for part = 1, 2 do lab.reassign{ topic = "pay", partition = part, replicas = target(part) } end
lab.run_until(function()
  for _, part in ipairs(lab.topic("pay")) do
    if #part.adding > 0 or #part.removing > 0 then return false end
    for _, id in ipairs(part.replicas) do if id == 103 then return false end end
  end
  return true
end, 60000)
local off103 = true
for _, part in ipairs(lab.topic("pay")) do
  for _, id in ipairs(part.replicas) do off103 = off103 and id ~= 103 end
end
lab.check(off103, { en = "no replica of pay is left on 103: 104 caught up and took its place",
                    ko = "103에는 pay의 레플리카가 하나도 남지 않았다: 104가 따라잡고 그 자리를 맡았다" })

lab.say{ en = "The notes' third reason: \"one broker down for maintenance barely matters\". True, unless another fails. The same two again: 103 stops, 102 crashes.",
         ko = "노트의 세 번째 이유: \"유지보수 중 하나의 브로커를 내리더라도 큰 영향이 없다\". 다른 한 대가 죽지 않는다면 맞습니다. 다시 같은 두 대: 103은 멈추고 102는 죽습니다." }
lab.stop(103)
lab.kill(102)
lab.countdown{ text = { en = "102's session expires in %s at most", ko = "102 세션 만료까지 최대 %s" }, ms = 20000 }
lab.run_until(without(102), 40000)
lab.check(writable(p, 30) == 30 and open_parts() == 3,
          { en = "every partition of pay still takes acks=all writes: 101 and 104 are two in-sync replicas",
            ko = "pay의 모든 파티션이 여전히 acks=all 쓰기를 받는다: 101과 104가 ISR 두 대다" })
lab.run(60000)
local three, with102 = true, true
for _, part in ipairs(lab.topic("pay")) do
  three = three and #part.replicas == 3
  local has = false
  for _, id in ipairs(part.replicas) do has = has or id == 102 end
  with102 = with102 and has
end
lab.check(three and with102,
          { en = "a minute later each partition still lists three replicas, dead 102 among them: Kafka does not re-create a lost replica by itself",
            ko = "1분 뒤에도 파티션마다 레플리카는 세 개이고 죽은 102도 그대로 있다: 카프카는 잃은 레플리카를 스스로 다시 만들지 않는다" })

lab.say{ en = "Summary: brokers never vote, so a fourth adds no majority. It spreads new topics and gives room to move replicas away before maintenance; Kafka moves and re-creates nothing by itself: the operator reassigns.",
         ko = "정리: 브로커는 투표하지 않으니 네 번째 브로커가 과반수를 늘리지는 않습니다. 새 토픽의 부하를 나누고, 점검 전에 레플리카를 옮길 여유를 줍니다. 옮기고 다시 만드는 것은 카프카가 아니라 운영자입니다." }
