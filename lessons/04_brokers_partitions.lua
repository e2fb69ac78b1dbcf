-- Lesson 4: brokers hold parts of topics. The notes say each broker holds
-- some partitions, that a broker's id and a partition's id are unrelated,
-- and that Kafka places partitions by disk usage. The first two are true;
-- the third is not: creation uses a fixed round-robin formula.

lab.say{ en = "Lesson 4: brokers, topics and partitions",
         ko = "4강: 브로커, 토픽, 파티션" }
lab.cluster{ zookeepers = 3, brokers = 5, seed = 4 }
lab.wait_brokers(5)
lab.check(lab.controller() ~= nil, { en = "one broker became the controller",
            ko = "브로커 하나가 컨트롤러가 된다" })

lab.check(lab.create_topic{ name = "orders", partitions = 6, replication_factor = 3 } == true,
          { en = "topic orders: 6 partitions, 3 replicas each",
            ko = "orders 토픽: 파티션 6개, 각각 복제본 3개" })
lab.run_until(function()
  for _, p in ipairs(lab.topic("orders")) do if not p.leader then return false end end
  return true
end, 30000)

local held = {}
for i, p in ipairs(lab.topic("orders")) do
  lab.say{ en = ("orders-%d: replicas {%s}, leader %s"):format(i - 1, table.concat(p.replicas, ","), tostring(p.leader)),
           ko = ("orders-%d: 복제본 {%s}, 리더 %s"):format(i - 1, table.concat(p.replicas, ","), tostring(p.leader)) }
  lab.check(p.leader == p.replicas[1], { en = ("orders-%d is led by its preferred (first) replica"):format(i - 1),
              ko = ("orders-%d 의 리더는 선호(첫 번째) 복제본이다"):format(i - 1) })
  for _, b in ipairs(p.replicas) do held[b] = (held[b] or 0) + 1 end
end
for _, b in ipairs(lab.brokers()) do
  lab.check((held[b.id] or 0) < 6, { en = ("broker %d holds only part of the topic"):format(b.id),
              ko = ("브로커 %d 은(는) 토픽의 일부만 갖는다"):format(b.id) })
end

lab.say{ en = "Replicas are placed round robin from a random start, shifted each time the brokers run out. No disk usage is looked at: moving load later is a reassignment (by an operator or tools like Cruise Control).",
         ko = "복제본은 무작위 시작점에서 라운드 로빈으로 배치되고, 브로커를 한 바퀴 돌 때마다 간격이 한 칸씩 밀립니다. 디스크 사용량은 전혀 보지 않습니다. 부하를 옮기는 일은 나중에 재할당(운영자나 Cruise Control 같은 도구)으로 합니다." }

lab.check(select(2, lab.create_topic{ name = "too-big", partitions = 1, replication_factor = 6 })
          == "INVALID_REPLICATION_FACTOR",
          { en = "a replication factor above the broker count is refused",
            ko = "브로커 수보다 큰 복제 계수는 거절된다" })
