-- Lesson 13: acknowledged writes that vanish (Jepsen, 2013), phase by
-- phase, then the settings that prevent it and what a producer sees
-- instead. The notes say (in Korean) "최소 3대의 브로커가 있어야 데이터
-- 복제가 제대로 이루어질 수 있다": with three brokers replication works.
-- Three brokers and RF 3 do not keep an acknowledged write by themselves:
-- min.insync.replicas and unclean.leader.election.enable decide.
--
-- With seed 2 the partition's leader is also the controller, so when its
-- followers are cut off it can still shrink the ISR (in 2.8 a leader asks
-- the controller with AlterIsr, as the 0.8 leader wrote ZooKeeper).

local function world(settings)
  lab.cluster{ zookeepers = 3, brokers = 3, seed = 2 }
  lab.wait_brokers(3)
  lab.create_topic{ name = "j", partitions = 1, replication_factor = 3, config = settings }
  lab.run(5000)
  return lab.partition("j", 0)
end

-- cut every follower's fetches to the leader (one way: follower -> leader)
local function cut_followers(part)
  for _, b in ipairs(part.replicas) do
    if b ~= part.leader then lab.link{ from = b, to = part.leader, drop = 1.0 } end
  end
end

local function isr_text(isr)
  local t = {}
  for i, b in ipairs(isr) do t[i] = tostring(b) end
  return "[" .. table.concat(t, ",") .. "]"
end

-- the follower lag rule (Partition.isFollowerOutOfSync): a follower is
-- dropped when it is behind and last caught up more than
-- replica.lag.time.max.ms (30 s) ago; the leader looks at its next ISR
-- check, which ReplicaManager.startup schedules (isr-expiration) every
-- replica.lag.time.max.ms / 2, 15 s: the ISR shrinks then, not at 0
local function countdown_silent()
  lab.countdown{ text = { en = "in %s the followers' last catch-up is 30 s old (replica.lag.time.max.ms); after that, a follower that is behind leaves the ISR at the leader's next check (every 15 s)",
                          ko = "팔로워가 마지막으로 따라잡은 지 30초(replica.lag.time.max.ms)가 되기까지 %s. 그 뒤로 뒤처진 팔로워는 리더의 다음 ISR 검사(15초마다)에서 빠집니다" },
                 ms = 30000 }
end

lab.say{ en = "Lesson 13: acknowledged writes that vanish (Jepsen, 2013)",
         ko = "13강: 확인(ack)받은 쓰기가 사라지는 경우 (Jepsen, 2013)" }
local part = world{ ["min.insync.replicas"] = 1, ["unclean.leader.election.enable"] = true }
local leader = part.leader
local p = lab.producer{ bootstrap = { 101, 102, 103 }, acks = "all" }
lab.check(p:send_many("j", 10).acked == 10 and #lab.partition("j", 0).isr == 3,
          { en = ("topic j, one partition, RF 3: leader %d, ISR %s; p1 (acks=all) writes 10 records, all acknowledged"):format(leader, isr_text(part.isr)),
            ko = ("토픽 j, 파티션 1개, RF 3: 리더 %d, ISR %s. p1(acks=all)이 10건을 쓰고 모두 확인받는다"):format(leader, isr_text(part.isr)) })
lab.check(lab.controller() == leader,
          { en = ("broker %d is also the controller, so it can still shrink the ISR (AlterIsr) when its followers are cut off"):format(leader),
            ko = ("브로커 %d은(는) 컨트롤러이기도 하므로, 팔로워가 끊겨도 ISR을 줄일 수 있다 (AlterIsr)"):format(leader) })

lab.say{ en = "The notes say: \"with at least three brokers, replication works properly.\" Three brokers, RF 3, acks=all: let us break it anyway. The settings: min.insync.replicas 1, unclean leader election on. Phase 1: the followers stop fetching from the leader.",
         ko = "노트에는 \"최소 3대의 브로커가 있어야 데이터 복제가 제대로 이루어질 수 있다\"고 적혀 있습니다. 브로커 3대, RF 3, acks=all로도 깨뜨려 봅시다. 설정은 min.insync.replicas 1, 언클린 리더 선출 허용입니다. 1단계: 팔로워들이 리더에게서 가져오기(fetch)를 멈춥니다." }
cut_followers(part)
countdown_silent()
lab.run(35000)
lab.check(#lab.partition("j", 0).isr == 3,
          { en = "35 s after the cut the followers are still in the ISR: they have everything, nothing new to fetch; Kafka drops only a follower that is behind (Partition.isFollowerOutOfSync)",
            ko = "끊긴 지 35초가 지나도 팔로워들은 ISR에 있다: 다 가지고 있어 새로 가져갈 게 없다. 카프카는 뒤처진 팔로워만 뺀다 (Partition.isFollowerOutOfSync)" })

lab.say{ en = "Phase 2: p1 writes 10 more records with acks=all. The followers cannot fetch them; the » line under the grid counts down to their leaving the ISR. acks=all means \"every replica in the ISR has it\".",
         ko = "2단계: p1이 acks=all로 10건을 더 씁니다. 팔로워는 이 레코드를 가져갈 수 없습니다. 그리드 아래 » 줄이 팔로워가 ISR에서 빠질 때까지 초를 셉니다. acks=all은 \"ISR의 모든 복제본이 받았다\"는 뜻입니다." }
local r
lab.predict{
  question = { en = "What happens to the 10 records?",
               ko = "10건은 어떻게 될까요?" },
  choices = { { en = "acknowledged, once the followers leave the ISR", ko = "팔로워가 ISR에서 빠지면 확인된다" },
              { en = "they fail: no follower has them", ko = "실패한다: 가진 팔로워가 없다" } },
  answer = 1,
  truth = function() return r.acked == 10 and 1 or 2 end,
}
r = p:send_many("j", 10)
lab.check(isr_text(lab.partition("j", 0).isr) == isr_text{ leader },
          { en = ("now the followers are behind and their last catch-up is more than 30 s old: at the leader's next ISR check (every 15 s), at %.1f s, the ISR shrank to the leader alone, %s"):format(lab.now() / 1000, isr_text(lab.partition("j", 0).isr)),
            ko = ("이제 팔로워가 뒤처졌고 마지막으로 따라잡은 지 30초가 넘었다: 리더의 다음 ISR 검사(15초마다) 때인 %.1f초에 ISR이 리더 하나로 줄었다, %s"):format(lab.now() / 1000, isr_text(lab.partition("j", 0).isr)) })
lab.check(r.acked == 10,
          { en = ("%d acknowledged, though only the leader %d holds them"):format(r.acked, leader),
            ko = ("%d건이 확인되었다. 그런데 그 레코드를 가진 것은 리더 %d 하나뿐이다"):format(r.acked, leader) })

lab.say{ en = "Phase 3: the leader itself is cut off. Its ZooKeeper session expires (watch the » countdown), and the controller must pick a new leader, but no other replica is in the ISR.",
         ko = "3단계: 이번에는 리더 자신이 고립됩니다. 리더의 주키퍼 세션이 만료되면(» 카운트다운을 보세요) 컨트롤러가 새 리더를 골라야 하는데, ISR에는 다른 복제본이 없습니다." }
local cut = lab.task{
  text = { en = ("Cut leader %d off the network: type :isolate %d (or select it with Tab and press i)."):format(leader, leader),
           ko = ("리더 %d을(를) 네트워크에서 고립시키세요: :isolate %d 입력 (또는 Tab으로 골라 i)."):format(leader, leader) },
  hint = { en = ("Broker %d has a column in the PLACEMENT grid; select it with Tab, and i isolates the selected node."):format(leader),
           ko = ("브로커 %d의 열은 파티션 배치 그리드에 있습니다. Tab으로 고르고, i는 고른 노드를 고립시킵니다."):format(leader) },
  done = function() return select(2, lab.status(leader)) end,
  solve = function() lab.isolate(leader) end,
}
lab.run_until(function() local l = lab.partition("j", 0).leader; return l ~= nil and l ~= leader end, 60000)
local after = lab.partition("j", 0)
lab.check(cut.done and after.leader ~= nil and after.leader ~= leader,
          { en = ("unclean election: %s leads now (leader epoch %d), though it was not in the ISR and misses the 10 records"):format(tostring(after.leader), after.leader_epoch),
            ko = ("언클린 선출: ISR에 없어서 10건을 갖지 못한 %s이(가) 이제 리더다 (리더 에포크 %d)"):format(tostring(after.leader), after.leader_epoch) })

lab.say{ en = ("Phase 4: the network heals. %d comes back as a follower, asks the new leader where its epoch ends (KIP-101) and truncates its log there."):format(leader),
         ko = ("4단계: 네트워크가 회복됩니다. %d은(는) 팔로워로 돌아와, 새 리더에게 자기 에포크가 어디서 끝나는지 묻고(KIP-101) 그 지점에서 로그를 잘라 냅니다."):format(leader) }
local leo_before = lab.partition("j", 0).leo[leader]
lab.slow{ factor = 10, ms = 3000 }
lab.heal()
lab.converge(60000)
local audit = lab.audit()
lab.check(audit.lost > 0,
          { en = ("%d's log went from %d to %d records: %d acknowledged writes are gone"):format(leader, leo_before, lab.partition("j", 0).leo[leader], audit.lost),
            ko = ("%d의 로그가 %d건에서 %d건이 되었다: 확인받은 쓰기 %d건이 사라졌다"):format(leader, leo_before, lab.partition("j", 0).leo[leader], audit.lost) })

lab.say{ en = "The safe settings: min.insync.replicas 2 and unclean election off. A new world; the followers stop fetching again, and 20 s later p1 writes.",
         ko = "안전한 설정: min.insync.replicas 2, 언클린 선출 금지. 새 세계입니다. 팔로워들이 다시 가져오기를 멈추고, 20초 뒤 p1이 씁니다." }
part = world{ ["min.insync.replicas"] = 2, ["unclean.leader.election.enable"] = false }
leader = part.leader
p = lab.producer{ bootstrap = { 101, 102, 103 }, acks = "all" }
p:send_many("j", 10)
cut_followers(part)
countdown_silent()
lab.run(20000)
lab.check(#lab.partition("j", 0).isr == 3,
          { en = "20 s after the cut the lagging followers are still in the ISR (30 s have not passed)",
            ko = "끊긴 지 20초, 뒤처진 팔로워들은 아직 ISR에 있다 (30초가 지나지 않았다)" })
local hw0 = lab.partition("j", 0).hw

lab.say{ en = "p1 sends 2 records. The ISR has 3 members, 2 are required: the leader appends them and waits for its followers, who never fetch.",
         ko = "p1이 2건을 보냅니다. ISR이 3개로 필요한 2개 이상이라 리더는 레코드를 붙이고 팔로워를 기다리지만, 팔로워는 가져가지 않습니다." }
lab.predict{
  question = { en = "What does p1 hear first?",
               ko = "p1이 처음 듣는 답은?" },
  choices = { { en = "acknowledged", ko = "확인(ack)" },
              { en = "NOT_ENOUGH_REPLICAS: refused", ko = "NOT_ENOUGH_REPLICAS: 거절" },
              { en = "NOT_ENOUGH_REPLICAS_AFTER_APPEND: written, yet failed", ko = "NOT_ENOUGH_REPLICAS_AFTER_APPEND: 기록 후 실패" } },
  answer = 3,
  truth = function()
    if r.acked > 0 then return 1 end
    if (r.retried.NOT_ENOUGH_REPLICAS_AFTER_APPEND or 0) > 0 then return 3 end
    return 2
  end,
}
r = p:send_many("j", 2)
local now = lab.partition("j", 0)
lab.check(r.acked == 0 and (r.retried.NOT_ENOUGH_REPLICAS_AFTER_APPEND or 0) > 0,
          { en = ("the ISR shrank to %s while p1 waited: NOT_ENOUGH_REPLICAS_AFTER_APPEND"):format(isr_text(now.isr)),
            ko = ("p1이 기다리는 동안 ISR이 %s(으)로 줄었다: NOT_ENOUGH_REPLICAS_AFTER_APPEND"):format(isr_text(now.isr)) })
lab.check(now.hw >= hw0 + 2,
          { en = ("yet the 2 records are in the leader's log, below its high watermark (%d -> %d)"):format(hw0, now.hw),
            ko = ("그런데도 2건은 리더의 로그에, 하이 워터마크 아래에 있다 (%d -> %d)"):format(hw0, now.hw) })
-- Partition.checkEnoughReplicasReachOffset: the HW reached the records,
-- but the ISR is below min.insync.replicas
lab.say{ en = "Why \"failed\" though stored? The leader appended while the ISR had 3; when the high watermark reached the records the ISR was 1, below min.insync.replicas 2, so it could not promise 2 copies and said so. Both errors are retriable: p1 retried until the batch was delivery.timeout.ms (120 s) old, then gave up.",
         ko = "저장됐는데 왜 \"실패\"일까요? 리더는 ISR이 3개일 때 레코드를 붙였지만, 하이 워터마크가 레코드에 닿았을 때 ISR은 1개로 min.insync.replicas 2보다 작았습니다. 복제본 2개를 약속할 수 없으니 그렇게 답한 것입니다. 두 오류 모두 재시도할 수 있어서, p1은 배치가 delivery.timeout.ms(120초)만큼 오래될 때까지 재시도한 뒤 포기했습니다." }
lab.check((r.retried.NOT_ENOUGH_REPLICAS or 0) > 0 and (r.errors.TIMEOUT or 0) == 2,
          { en = "p1's retries met NOT_ENOUGH_REPLICAS (refused before the append) until delivery.timeout.ms: it reports both records failed",
            ko = "p1의 재시도는 delivery.timeout.ms까지 NOT_ENOUGH_REPLICAS(기록 전 거절)를 받았고, 두 건 모두 실패로 보고한다" })
-- p1 is Kafka 2.8's producer with its defaults: enable.idempotence=false.
-- Since 3.0 the default is true (KIP-679; in effect from 3.0.1, 3.1.1 and
-- 3.2.0, KAFKA-13598): each batch carries the producer id, epoch and a
-- sequence number, and the leader answers a retry it finds among the last
-- 5 batches it keeps per producer with the first copy's offset instead of
-- appending it (UnifiedLog.analyzeAndValidateProducerState,
-- ProducerStateEntry.findDuplicateBatch).
lab.ask{
  question = { en = "p1 is not idempotent, as producers were by default before Kafka 3.0. The 2 \"failed\" records are in the log: had the ISR recovered while p1 retried, what then?",
               ko = "p1은 카프카 3.0 전의 기본값대로 멱등 프로듀서가 아닙니다. \"실패\"한 2건은 로그에 있습니다. p1이 재시도하는 동안 ISR이 회복되었다면?" },
  choices = { { en = "written twice", ko = "두 번 기록된다" },
              { en = "the broker drops the copies", ko = "브로커가 중복을 버린다" } },
  answer = 1,
  why = { en = "The broker cannot tell a retry from a new batch: it appends it again. Since 3.0 producers are idempotent by default (enable.idempotence=true, KIP-679): each batch carries a producer id and sequence number, and the leader answers a retry with the first copy's offset instead of appending it: with 3.0's defaults, 2 is right.",
          ko = "브로커는 재시도와 새 배치를 구별하지 못해 다시 붙입니다. 3.0부터는 프로듀서가 기본으로 멱등입니다(enable.idempotence=true, KIP-679). 배치마다 프로듀서 id와 시퀀스 번호가 붙어서, 리더는 재시도를 다시 붙이지 않고 처음 것의 오프셋으로 답합니다. 3.0 이후의 기본값이라면 2가 맞습니다." },
}

lab.say{ en = ("Now the leader %d is cut off, as in phase 3. With unclean election off, no replica outside the ISR may lead."):format(leader),
         ko = ("이제 3단계처럼 리더 %d이(가) 고립됩니다. 언클린 선출을 막았으니 ISR 밖의 복제본은 리더가 될 수 없습니다."):format(leader) }
lab.isolate(leader)
lab.run_until(function() return lab.partition("j", 0).offline end, 60000)
lab.run(3000)
lab.check(lab.partition("j", 0).offline and lab.partition("j", 0).leader == nil,
          { en = "j-0 is offline: no leader, rather than one that misses acknowledged records",
            ko = "j-0은 오프라인이다: 확인받은 레코드가 없는 리더 대신 아예 리더가 없다" })

lab.say{ en = ("The network heals: %d, the last in-sync replica, comes back and leads again."):format(leader),
         ko = ("네트워크가 회복됩니다. 마지막 동기화 복제본인 %d이(가) 돌아와 다시 리더가 됩니다."):format(leader) }
lab.heal()
lab.converge(60000)
lab.check(lab.partition("j", 0).leader == leader and lab.audit().lost == 0,
          { en = ("%d leads j-0 again; no acknowledged write is lost"):format(leader),
            ko = ("%d이(가) 다시 j-0의 리더이고, 확인받은 쓰기는 하나도 사라지지 않았다"):format(leader) })

lab.say{ en = "Summary: acks=all only means \"every replica in the ISR\", and the ISR can shrink to the leader alone. With min.insync.replicas 1 and unclean election, that leader's writes are lost when an out-of-sync replica takes over. min.insync.replicas 2 makes the leader refuse (NOT_ENOUGH_REPLICAS) or report failure (NOT_ENOUGH_REPLICAS_AFTER_APPEND, the records stored anyway); unclean election off makes the partition wait offline instead of losing data.",
         ko = "정리: acks=all은 \"ISR의 모든 복제본\"이라는 뜻일 뿐이고, ISR은 리더 하나로 줄 수 있습니다. min.insync.replicas 1에 언클린 선출까지 허용하면, 뒤처진 복제본이 리더가 될 때 그 리더의 쓰기가 사라집니다. min.insync.replicas 2면 리더가 거절하거나(NOT_ENOUGH_REPLICAS) 실패를 알립니다(NOT_ENOUGH_REPLICAS_AFTER_APPEND, 레코드는 이미 저장됨). 언클린 선출을 막으면 파티션은 데이터를 잃는 대신 오프라인으로 기다립니다." }
