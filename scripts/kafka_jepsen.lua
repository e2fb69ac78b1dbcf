-- Jepsen, 2013: how acknowledged writes vanish with min.insync.replicas 1
-- and unclean leader election, and how the safe settings refuse instead.
local function world(settings)
  lab.cluster{ brokers = 4, zookeepers = 3, seed = 14 }
  lab.run_until(function()
    local k = 0
    for _, b in ipairs(lab.brokers()) do if b.registered then k = k + 1 end end
    return k == 4
  end, 30000)
  lab.create_topic{ name = "j", partitions = 4, replication_factor = 3, config = settings }
  -- a partition the controller holds no replica of, so cutting the
  -- followers off does not cut the controller off from the leader
  for q = 0, 3 do
    local holds = false
    for _, id in ipairs(lab.partition("j", q).replicas) do holds = holds or id == lab.controller() end
    if not holds then return q end
  end
end

local function run(settings)
  local part = world(settings)
  local p = lab.producer{ acks = "all", delivery_timeout_ms = 20000, request_timeout_ms = 20000 }
  p:send_many("j", 10, part)
  local leader = lab.partition("j", part).leader
  lab.say{ en = ("The followers of j-%d stop reaching leader %d; after 30 s the ISR is the leader alone."):format(part, leader),
           ko = ("j-%d 의 팔로워들이 리더 %d 에 닿지 못합니다. 30초가 지나면 ISR 에는 리더만 남습니다."):format(part, leader) }
  for _, b in ipairs(lab.partition("j", part).replicas) do
    if b ~= leader then lab.link{ from = b, to = leader, drop = 1.0 } end
  end
  lab.run_until(function() return #lab.partition("j", part).isr == 1 end, 60000)
  lab.run(1000)
  local r = p:send_many("j", 10, part)
  lab.say{ en = ("10 more writes with acks=all: %d acknowledged."):format(r.acked),
           ko = ("acks=all 로 10건 더 씁니다: %d건 확인."):format(r.acked) }
  lab.say{ en = "Now the leader itself is cut off; its session expires.",
           ko = "이제 리더가 고립되고 세션이 만료됩니다." }
  lab.heal()
  lab.isolate(leader)
  lab.run(25000)
  local s = lab.partition("j", part)
  lab.say{ en = s.leader and ("Broker %d leads j-%d now."):format(s.leader, part)
                         or ("j-%d is offline: no in-sync replica is left."):format(part),
           ko = s.leader and ("이제 브로커 %d 이(가) j-%d 의 리더입니다."):format(s.leader, part)
                         or ("j-%d 는 오프라인입니다. 동기화된 복제본이 없습니다."):format(part) }
  lab.heal()
  lab.converge(60000)
  return r, lab.audit()
end

lab.say{ en = "Unsafe: min.insync.replicas 1, unclean leader election on.",
         ko = "위험한 설정: min.insync.replicas 1, 언클린 리더 선출 허용." }
local r, a = run{ ["min.insync.replicas"] = 1, ["unclean.leader.election.enable"] = true }
lab.check(r.acked == 10 and a.lost == 10,
          ("%d writes were acknowledged and %d of them are gone"):format(r.acked, a.lost))

lab.say{ en = "Safe: min.insync.replicas 2, unclean election off.",
         ko = "안전한 설정: min.insync.replicas 2, 언클린 선출 금지." }
r, a = run{ ["min.insync.replicas"] = 2, ["unclean.leader.election.enable"] = false }
lab.check((r.retried.NOT_ENOUGH_REPLICAS or 0) > 0 and r.acked == 0,
          "the producer was told NOT_ENOUGH_REPLICAS instead of a false acknowledgement (retried until delivery.timeout.ms)")
lab.check(a.lost == 0, "nothing acknowledged is lost; the partition waited offline instead")
