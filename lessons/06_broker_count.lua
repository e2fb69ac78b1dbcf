-- Lesson 6: why at least three brokers? The notes say it is so brokers can
-- elect leaders by majority vote. Brokers do not vote: the controller picks
-- the leader from the in-sync replicas. Three brokers matter for
-- replication: RF 3 with min.insync.replicas 2 survives a broker loss and
-- still takes acks=all writes.

lab.say{ en = "Lesson 6: what three brokers buy",
         ko = "6강: 브로커 세 대가 주는 것" }
lab.cluster{ zookeepers = 3, brokers = 2, seed = 6 }
lab.wait_brokers(2)
lab.create_topic{ name = "pay", partitions = 2, replication_factor = 2 }
lab.run(5000)
local p = lab.producer{ bootstrap = { 101, 102 }, acks = "all" }
lab.check(p:send_many("pay", 10).acked == 10, { en = "two brokers, RF 2: writes work",
            ko = "브로커 2대, RF 2: 쓰기가 된다" })

lab.say{ en = "Stop broker 102 cleanly. No vote is needed: the controller hands each partition to the in-sync replica left.",
         ko = "브로커 102 를 정상 종료합니다. 투표는 필요 없습니다. 컨트롤러가 남은 ISR 복제본에게 파티션을 넘깁니다." }
lab.stop(102)
lab.run(3000)
for i, part in ipairs(lab.topic("pay")) do
  lab.check(part.leader == 101, { en = ("pay-%d is led by 101 alone: one broker is enough to lead"):format(i - 1),
              ko = ("pay-%d은(는) 101 혼자 이끈다: 리더는 브로커 한 대로 충분하다"):format(i - 1) })
end
lab.check(p:send_many("pay", 10).acked == 10, { en = "with min.insync.replicas 1, a lone broker still takes writes, with no copy anywhere else",
            ko = "min.insync.replicas 1 이면 브로커 한 대가 다른 복사본 없이도 쓰기를 받는다" })

lab.say{ en = "Three brokers, RF 3, min.insync.replicas 2: lose any one broker and acks=all writes still have two copies.",
         ko = "브로커 3대, RF 3, min.insync.replicas 2 라면 어느 한 대를 잃어도 acks=all 쓰기는 여전히 두 벌씩 저장됩니다." }
lab.cluster{ zookeepers = 3, brokers = 3, seed = 6 }
lab.wait_brokers(3)
lab.create_topic{ name = "pay", partitions = 3, replication_factor = 3,
                  config = { ["min.insync.replicas"] = 2 } }
lab.run(5000)
p = lab.producer{ bootstrap = { 101, 102, 103 }, acks = "all" }
lab.stop(103)
lab.run(3000)
lab.check(p:send_many("pay", 30).acked == 30, { en = "one broker down: every acks=all write still lands on two",
            ko = "한 대가 죽어도 acks=all 쓰기는 모두 두 대에 저장된다" })
lab.stop(102)
lab.run(3000)
local r = p:send_many("pay", 5)
-- NOT_ENOUGH_REPLICAS is retriable: the producer retries until
-- delivery.timeout.ms, then fails the batch with a timeout (Sender)
lab.check(r.acked == 0 and (r.retried.NOT_ENOUGH_REPLICAS or 0) > 0 and r.errors.TIMEOUT == 5,
          { en = "two down: the leader refuses writes (NOT_ENOUGH_REPLICAS) rather than keep one copy; the producer retries until delivery.timeout.ms, then gives up",
            ko = "두 대가 죽으면 리더는 한 벌만 남기느니 쓰기를 거절하고(NOT_ENOUGH_REPLICAS), 프로듀서는 delivery.timeout.ms 까지 재시도하다 포기한다" })
