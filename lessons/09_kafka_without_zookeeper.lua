-- Lesson 9: what Kafka 2.x does when ZooKeeper loses its quorum. The notes
-- say Kafka 2.x cannot work without ZooKeeper. For metadata that is true:
-- no topic can be created, no leader can move. But ZooKeeper is not in the
-- path of the data: existing leaders keep taking writes and serving reads.

lab.say{ en = "Lesson 9: Kafka while ZooKeeper has no quorum",
         ko = "9강: 주키퍼가 쿼럼을 잃었을 때의 카프카" }
lab.cluster{ zookeepers = 3, brokers = 3, seed = 9 }
lab.wait_brokers()
lab.create_topic{ name = "logs", partitions = 3, replication_factor = 3,
                  config = { ["min.insync.replicas"] = 2 } }
lab.run(3000)
local p = lab.producer{ bootstrap = { 101, 102, 103 }, acks = "all" }
lab.check(p:send_many("logs", 30).acked == 30,
          { en = "a healthy cluster takes writes", ko = "건강한 클러스터는 쓰기를 받는다" })

lab.say{ en = "Crash two of the three ZooKeeper servers: the ensemble has no quorum and serves nobody.",
         ko = "주키퍼 서버 세 대 중 두 대를 죽입니다. 앙상블은 쿼럼을 잃고 아무에게도 응답하지 않습니다." }
lab.kill("zk1")
lab.kill("zk2")
lab.run(3000)
lab.check(not lab.ensemble().serving,
          { en = "the ensemble has no quorum", ko = "앙상블에 쿼럼이 없다" })

lab.say{ en = "Produce anyway. Brokers never ask ZooKeeper to write or read records: the partition leaders take them.",
         ko = "그래도 써 봅니다. 브로커는 레코드를 쓰고 읽을 때 주키퍼에 묻지 않습니다. 파티션 리더가 받습니다." }
local r = p:send_many("logs", 30)
lab.check(r.acked == 30,
          { en = "writes are still acknowledged: ZooKeeper is not in the data path",
            ko = "쓰기는 여전히 확인된다: 주키퍼는 데이터 경로에 없다" })
local c = lab.consumer{ bootstrap = { 101, 102, 103 } }
local recs = c:read("logs", next(r.partitions), 0, 100)     -- where they went
lab.check(recs ~= nil and #recs > 0,
          { en = "and consumers still read", ko = "컨슈머도 여전히 읽는다" })

lab.say{ en = "But metadata needs ZooKeeper: a new topic cannot be created.",
         ko = "하지만 메타데이터에는 주키퍼가 필요합니다. 새 토픽은 만들 수 없습니다." }
local ok, err = lab.create_topic{ name = "new", partitions = 1, replication_factor = 1 }
lab.check(ok == nil,
          { en = "creating a topic fails: " .. tostring(err),
            ko = "토픽 생성이 실패한다: " .. tostring(err) })

lab.say{ en = "And a crashed broker is never replaced: nothing expires its session while the ensemble has no quorum, so its partitions stay without a leader.",
         ko = "죽은 브로커도 교체되지 않습니다. 앙상블에 쿼럼이 없으면 아무도 그 세션을 만료시키지 못하므로, 그 브로커가 이끌던 파티션은 리더 없이 남습니다." }
local led = lab.partition("logs", 0).leader
lab.kill(led)
lab.run(40000)
lab.check(lab.partition("logs", 0).leader == led,
          { en = ("40 s later, logs-0 still names the dead broker %d as leader"):format(led),
            ko = ("40초가 지나도 logs-0 의 리더는 여전히 죽은 브로커 %d 이다"):format(led) })

lab.say{ en = "Bring one ZooKeeper server back. With a quorum again the leader expires the dead broker's session and the controller moves its partitions.",
         ko = "주키퍼 서버 한 대를 되살립니다. 쿼럼이 돌아오면 리더가 죽은 브로커의 세션을 만료시키고, 컨트롤러가 그 파티션들을 옮깁니다." }
lab.restart("zk1")
local moved = lab.run_until(function()
  local l = lab.partition("logs", 0).leader
  return l ~= nil and l ~= led
end, 60000)
lab.check(moved, { en = "after the quorum returns, logs-0 gets a live leader",
                   ko = "쿼럼이 돌아오자 logs-0 에 살아 있는 리더가 생긴다" })
lab.check(lab.audit().lost == 0,
          { en = "no acknowledged write was lost", ko = "확인받은 쓰기는 하나도 사라지지 않았다" })
