-- Lesson 8: losing acknowledged writes (Jepsen, 2013), and the settings
-- that prevent it.

local function run(settings)
  lab.cluster{ zookeepers = 3, brokers = 3, seed = 2 }
  lab.wait_brokers(3)
  lab.create_topic{ name = "j", partitions = 1, replication_factor = 3, config = settings }
  lab.run(5000)
  local part = lab.partition("j", 0)
  local leader = part.leader
  -- Kafka 2.8 shrinks an ISR through the controller (AlterIsr), so the
  -- leader must still reach it, as the 0.8 leader reached ZooKeeper; with
  -- this seed the leader is the controller
  lab.check(lab.controller() == leader,
            { en = "the leader is also the controller, so it can still shrink the ISR (AlterIsr) when its followers are cut off",
              ko = "리더가 컨트롤러이기도 하므로, 팔로워가 끊겨도 ISR 을 줄일 수 있다 (AlterIsr)" })
  local p = lab.producer{ bootstrap = { 101, 102, 103 }, acks = "all" }
  p:send_many("j", 10)
  -- followers fall behind: cut them off from the leader until the ISR shrinks
  for _, b in ipairs(part.replicas) do
    if b ~= leader then lab.link{ from = b, to = leader, drop = 1.0 } end
  end
  lab.run_until(function() return #lab.partition("j", 0).isr == 1 end, 60000)
  local r = p:send_many("j", 10)
  -- now the leader is cut off; the others come back
  lab.heal()
  lab.isolate(leader)
  lab.run_until(function() local l = lab.partition("j", 0).leader; return l ~= leader end, 60000)
  lab.heal()
  lab.run(30000)
  return r, lab.audit()
end

lab.say{ en = "Lesson 8: acknowledged writes that vanish",
         ko = "8강: 확인(ack)받은 쓰기가 사라지는 경우" }
lab.say{ en = "First the unsafe settings: min.insync.replicas 1, unclean leader election on.",
         ko = "먼저 위험한 설정입니다: min.insync.replicas 1, 언클린 리더 선출 허용." }
local r, audit = run{ ["min.insync.replicas"] = 1, ["unclean.leader.election.enable"] = true }
lab.check(r.acked > 0, { en = "with the ISR shrunk to the leader, acks=all writes are still acknowledged by it alone",
            ko = "ISR 이 리더 하나로 줄어도 acks=all 쓰기를 리더 혼자 확인해 준다" })
lab.check(audit.lost > 0, { en = ("after the leader was cut off and an out-of-sync replica took over, %d acknowledged writes are gone"):format(audit.lost),
            ko = ("리더가 고립되고 뒤처진 복제본이 리더가 되자, 확인받은 쓰기 %d건이 사라졌다"):format(audit.lost) })

lab.say{ en = "Now the safe settings: min.insync.replicas 2, unclean election off.",
         ko = "이제 안전한 설정입니다: min.insync.replicas 2, 언클린 선출 금지." }
r, audit = run{ ["min.insync.replicas"] = 2, ["unclean.leader.election.enable"] = false }
-- both errors are retriable: the producer retries until
-- delivery.timeout.ms, then fails the batch with a timeout (Sender)
lab.check(r.acked == 0 and (r.retried.NOT_ENOUGH_REPLICAS or 0) + (r.retried.NOT_ENOUGH_REPLICAS_AFTER_APPEND or 0) > 0,
          { en = "the leader answers NOT_ENOUGH_REPLICAS instead of a false acknowledgement; the producer retries until delivery.timeout.ms, then fails the write",
            ko = "리더는 거짓 확인 대신 NOT_ENOUGH_REPLICAS 로 답하고, 프로듀서는 delivery.timeout.ms 까지 재시도한 뒤 쓰기를 실패로 끝낸다" })
lab.check(audit.lost == 0, { en = "no acknowledged write is lost",
            ko = "확인받은 쓰기는 하나도 사라지지 않는다" })
