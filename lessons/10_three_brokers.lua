-- Lesson 10: why at least three brokers. The notes say Kafka elects
-- leaders through ZooKeeper by majority vote, so three brokers are needed
-- ("with two, once one is down no majority is possible"), and that Kafka
-- replicates partitions through ZooKeeper. Brokers do not vote: the
-- controller picks the new leader from the in-sync replicas
-- (PartitionLeaderElectionAlgorithms.offlinePartitionLeaderElection) and
-- writes it to ZooKeeper; followers copy the leader's log by fetching
-- from it, not through ZooKeeper. Three brokers matter for replication:
-- RF 3 with min.insync.replicas 2 and acks=all keeps every acknowledged
-- write on two brokers after losing any one.

local function down_broker()
  for _, b in ipairs(lab.brokers()) do
    if not b.up then return b.id end
  end
end

local function up_brokers()
  local ids = {}
  for _, b in ipairs(lab.brokers()) do
    if b.up then ids[#ids + 1] = b.id end
  end
  return ids
end

lab.say{ en = "Lesson 10: what three brokers buy",
         ko = "10강: 브로커 세 대가 주는 것" }
lab.cluster{ zookeepers = 3, brokers = 2, seed = 6 }
lab.wait_brokers(2)
lab.create_topic{ name = "pay", partitions = 2, replication_factor = 2 }
lab.run(3000)
local p = lab.producer{ bootstrap = { 101, 102 }, acks = "all" }
lab.check(p:send_many("pay", 10).acked == 10,
          { en = "two brokers, RF 2: both hold every partition, writes work",
            ko = "브로커 2대, RF 2: 두 대가 모든 파티션을 갖고, 쓰기가 된다" })

lab.say{ en = "How does a follower get the records? The notes say \"through ZooKeeper\". Watch the message view: it asks the leader directly (Fetch).",
         ko = "팔로워는 레코드를 어떻게 받을까요? 노트는 \"주키퍼를 통해\" 복제한다고 합니다. 메시지 뷰를 보세요. 리더에게 직접 요청합니다(Fetch)." }
lab.messages{ show = true, layer = "kafka", nodes = { "101", "102" } }
lab.slow{ factor = 20, ms = 1500 }
p:send_many("pay", 10)
lab.run(1500)
local led = lab.partition("pay", 0)
lab.check(led.leo[101] == led.leo[102],
          { en = "the follower's log caught up with the leader's: Fetch from broker to broker, ZooKeeper not involved",
            ko = "팔로워의 로그가 리더를 따라잡았다: 브로커끼리의 Fetch로, 주키퍼는 관여하지 않는다" })

lab.say{ en = "The notes: \"with two brokers, once one is down a majority vote is impossible\". Stop one and see who leads.",
         ko = "노트: \"2대의 브로커만 있으면 하나가 다운되었을 때 다수결이 불가능하다\". 한 대를 멈추고 누가 리더가 되는지 보세요." }
lab.predict{
  question = { en = "2 brokers, 1 stops: what happens to pay?",
               ko = "2대 중 1대가 멈추면 pay는 어떻게 될까요?" },
  choices = { { en = "no leader (no majority)", ko = "리더 없음 (과반수 아님)" },
              { en = "the other leads both", ko = "남은 한 대가 둘 다 이끎" },
              { en = "the cluster stops", ko = "클러스터가 멈춤" } },
  answer = 2,
  truth = function()
    local left = up_brokers()
    for _, part in ipairs(lab.topic("pay")) do
      if part.leader == nil then return 1 end
      if #left == 1 and part.leader ~= left[1] then return 3 end
    end
    return 2
  end,
}
local stop = lab.task{
  text = { en = "Stop a broker cleanly: select 101 or 102 with Tab and press s (or type :stop 102).",
           ko = "브로커 하나를 정상 종료하세요: Tab으로 101이나 102를 고르고 s를 누르세요 (또는 :stop 102 입력)." },
  hint = { en = "Tab moves the '>' mark over servers and brokers; s on a broker is a clean stop.",
           ko = "Tab을 누르면 '>' 표시가 서버와 브로커를 옮겨 다닙니다. 브로커에서 s를 누르면 정상 종료입니다." },
  done = down_broker,
  solve = function() lab.stop(102) end,
}
local gone = stop.value or 102
local left = gone == 101 and 102 or 101
lab.run(3000)
for _, part in ipairs(lab.topic("pay")) do
  lab.check(part.leader == left,
            { en = ("pay-%d is led by %d alone: no vote, one broker is enough to lead"):format(part.partition, left),
              ko = ("pay-%d은(는) %d 혼자 이끈다: 투표는 없고, 리더는 브로커 한 대로 충분하다"):format(part.partition, left) })
end
lab.ask{
  question = { en = ("Who chose %d as the leader?"):format(left),
               ko = ("누가 %d을(를) 리더로 정했을까요?"):format(left) },
  choices = { { en = "the brokers, by majority vote", ko = "브로커들이 다수결로" },
              { en = "ZooKeeper's servers, by vote", ko = "주키퍼 서버들이 투표로" },
              { en = "the controller, from the in-sync replicas", ko = "컨트롤러가 ISR 중에서" } },
  answer = 3,
  why = { en = "The controller takes the first live replica of the ISR and writes it to ZooKeeper. Majorities are the ensemble's, not the brokers'.",
          ko = "컨트롤러가 ISR 중 살아 있는 첫 레플리카를 골라 주키퍼에 기록합니다. 과반수는 앙상블의 규칙이지 브로커의 것이 아닙니다." },
}

lab.say{ en = ("But with min.insync.replicas 1 (the default), %d acknowledges acks=all writes alone, with no copy anywhere else."):format(left),
         ko = ("그런데 min.insync.replicas가 기본값 1이면 %d 혼자 acks=all 쓰기를 확인하고, 다른 곳엔 사본이 없습니다."):format(left) }
lab.check(p:send_many("pay", 10).acked == 10,
          { en = "10 acks=all writes acknowledged by one broker",
            ko = "acks=all 쓰기 10건을 브로커 한 대가 확인했다" })
local isr1 = true
for _, part in ipairs(lab.topic("pay")) do isr1 = isr1 and #part.isr == 1 end
lab.check(isr1, { en = ("every ISR is {%d}: those records exist once; if %d's disk dies now they are gone"):format(left, left),
                  ko = ("ISR이 모두 {%d}: 이 레코드들은 한 벌뿐이라 지금 %d의 디스크가 죽으면 사라진다"):format(left, left) })

lab.say{ en = "Three brokers, RF 3, min.insync.replicas 2, acks=all: an acknowledged write is always on two brokers. Lose one and writes go on.",
         ko = "브로커 3대, RF 3, min.insync.replicas 2, acks=all: 확인된 쓰기는 늘 두 대에 있습니다. 한 대를 잃어도 쓰기는 계속됩니다." }
lab.cluster{ zookeepers = 3, brokers = 3, seed = 6 }
lab.wait_brokers(3)
lab.create_topic{ name = "pay", partitions = 3, replication_factor = 3,
                  config = { ["min.insync.replicas"] = 2 } }
lab.run(3000)
-- short timeouts so a refused write gives up in seconds, not minutes
p = lab.producer{ bootstrap = { 101, 102, 103 }, acks = "all",
                  request_timeout_ms = 5000, delivery_timeout_ms = 10000 }
local crash = lab.task{
  text = { en = "Crash any one broker: select it with Tab and press k (or type :kill 103).",
           ko = "아무 브로커나 한 대 죽이세요: Tab으로 고르고 k를 누르세요 (또는 :kill 103 입력)." },
  hint = { en = "k is a crash: the broker's ZooKeeper session expires after 18 s, then the controller moves its leaderships.",
           ko = "k는 크래시입니다. 18초 뒤 그 브로커의 주키퍼 세션이 만료되고, 그때 컨트롤러가 리더를 옮깁니다." },
  done = down_broker,
  solve = function() lab.kill(103) end,
}
local first = crash.value or 103
-- the session expires 18 s after the last ping ZooKeeper heard (up to 6 s
-- before the crash), checked each tick: 12 to 20 s after the crash
lab.countdown{ text = { en = ("%d's session expires in %%s at most"):format(first),
                        ko = ("%d 세션 만료까지 최대 %%s"):format(first) },
               ms = 20000 }
lab.run_until(function()
  for _, part in ipairs(lab.topic("pay")) do
    for _, r in ipairs(part.isr) do if r == first then return false end end
  end
  return true
end, 40000)
lab.check(p:send_many("pay", 30).acked == 30,
          { en = ("%d is down: every acks=all write still lands on the two in-sync replicas left"):format(first),
            ko = ("%d이(가) 죽어도 acks=all 쓰기는 모두 남은 ISR 두 대에 저장된다"):format(first) })
local two = true
for _, part in ipairs(lab.topic("pay")) do two = two and #part.isr == 2 end
lab.check(two, { en = "every ISR has two members", ko = "모든 ISR에 두 대가 있다" })

local second
for _, id in ipairs(up_brokers()) do second = second or id end
lab.say{ en = ("Now %d stops too: one copy left. Does the leader still take writes?"):format(second),
         ko = ("이제 %d도 멈춥니다. 사본은 한 벌만 남습니다. 그래도 리더가 쓰기를 받을까요?"):format(second) }
local acked_alone = 0
lab.predict{
  question = { en = "1 of 3 left, min.insync.replicas 2: are acks=all writes acknowledged?",
               ko = "3대 중 1대, min.insync.replicas 2: acks=all 쓰기가 확인될까요?" },
  choices = { { en = "yes, by the one left", ko = "예, 남은 한 대가 확인한다" },
              { en = "no, refused", ko = "아니요, 거절된다" } },
  answer = 2,
  truth = function() return acked_alone > 0 and 1 or 2 end,
}
lab.stop(second)
lab.run(3000)
local r = p:send_many("pay", 5)
acked_alone = r.acked
-- NOT_ENOUGH_REPLICAS is retriable: the producer retries until
-- delivery.timeout.ms, then fails the batch with a timeout (Sender)
lab.check(r.acked == 0 and (r.retried.NOT_ENOUGH_REPLICAS or 0) > 0 and r.errors.TIMEOUT == 5,
          { en = "two down: the leader refuses writes (NOT_ENOUGH_REPLICAS) rather than keep one copy; the producer retries until delivery.timeout.ms, then gives up",
            ko = "두 대가 죽으면 리더는 한 벌만 남기느니 쓰기를 거절하고(NOT_ENOUGH_REPLICAS), 프로듀서는 delivery.timeout.ms까지 재시도하다 포기한다" })

lab.say{ en = "Summary: brokers never vote; the controller picks leaders from the ISR. Followers fetch from the leader. Three brokers are about copies: RF 3 with min.insync.replicas 2 survives one loss and refuses writes rather than keep one copy.",
         ko = "정리: 브로커는 투표하지 않고, 컨트롤러가 ISR에서 리더를 고릅니다. 팔로워는 리더에게서 가져갑니다(Fetch). 브로커를 세 대 두는 것은 투표 때문이 아니라 사본 때문입니다. RF 3과 min.insync.replicas 2는 한 대를 잃어도 버티고, 한 벌만 남으면 쓰기를 거절합니다." }
