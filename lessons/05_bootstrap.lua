-- Lesson 5: bootstrap servers. The notes say the bootstrap list means all
-- brokers of the cluster. It is only where a client starts: any broker
-- answers with metadata for the whole cluster.

lab.say{ en = "Lesson 5: bootstrap servers are only for discovery",
         ko = "5강: 부트스트랩 서버는 처음 찾아갈 곳일 뿐입니다" }
lab.cluster{ zookeepers = 3, brokers = 4, seed = 5 }
lab.wait_brokers(4)
lab.create_topic{ name = "events", partitions = 4, replication_factor = 3,
                  config = { ["min.insync.replicas"] = 2 } }
lab.run(5000)

lab.say{ en = "A producer given only broker 101 learns every broker and every partition leader from it, then talks to the leaders directly.",
         ko = "브로커 101 하나만 알려 준 프로듀서도 101 에게서 모든 브로커와 파티션 리더를 배우고, 그다음부터는 리더들과 직접 통신합니다." }
local p = lab.producer{ bootstrap = { 101 }, acks = "all" }
local acked, leaders = 0, {}
for part = 0, 3 do      -- 10 records to each partition: every leader gets some
  acked = acked + p:send_many("events", 10, part).acked
  leaders[lab.partition("events", part).leader] = true
end
local nleaders = 0
for _ in pairs(leaders) do nleaders = nleaders + 1 end
lab.check(acked == 40 and nleaders > 1, { en = ("all 40 writes acknowledged, by the leaders on %d brokers"):format(nleaders),
            ko = ("40건 모두 확인받는다: 브로커 %d대의 리더들이 받았다"):format(nleaders) })

lab.say{ en = "Broker 101 stops. The running producer keeps working: it already knows the cluster.",
         ko = "브로커 101 이 멈춥니다. 이미 클러스터를 알고 있는 프로듀서는 계속 동작합니다." }
lab.stop(101)
lab.run(3000)
r = p:send_many("events", 20)
lab.check(r.acked == 20, { en = "the running producer goes on without its bootstrap broker",
            ko = "이미 실행 중인 프로듀서는 부트스트랩 브로커 없이도 계속한다" })

lab.say{ en = "But a new producer given only 101 cannot start, although three brokers are alive. Its send waits for metadata up to max.block.ms (60 s), then fails with a timeout. That is why the list names several brokers.",
         ko = "하지만 101 만 알고 새로 시작하는 프로듀서는, 브로커 세 대가 살아 있는데도 시작하지 못합니다. send 는 메타데이터를 max.block.ms(60초)까지 기다리다가 타임아웃으로 실패합니다. 그래서 목록에 브로커를 여러 대 적습니다." }
local late = lab.producer{ bootstrap = { 101 }, acks = "all" }
local off, err = late:send("events", "k", "v")
lab.check(off == nil and err == "TIMEOUT", { en = "a new client with only a dead bootstrap broker gets nowhere: " .. tostring(err),
            ko = "죽은 부트스트랩 브로커 하나만 아는 새 클라이언트는 아무 데도 못 간다: " .. tostring(err) })
local good = lab.producer{ bootstrap = { 101, 102, 103 }, acks = "all" }
lab.check(good:send("events", "k", "v") ~= nil, { en = "with 102 and 103 also listed it starts",
            ko = "102 와 103 도 적어 두면 시작한다" })
