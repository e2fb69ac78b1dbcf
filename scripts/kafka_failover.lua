-- Broker failover: a crash is noticed only when the broker's ZooKeeper
-- session expires; a clean stop moves leadership at once. On the way: the
-- ISR, the high watermark, and the audit of acknowledged writes.
local function registered(n)
  return lab.run_until(function()
    local k = 0
    for _, b in ipairs(lab.brokers()) do if b.registered then k = k + 1 end end
    return k == n
  end, 30000)
end

lab.say{ en = "Three brokers on a three-server ensemble.",
         ko = "주키퍼 서버 세 대 위에 브로커 세 대를 띄웁니다." }
lab.cluster{ brokers = 3, zookeepers = 3, seed = 3 }
registered(3)
lab.say{ en = ("Broker %d won the race for /controller."):format(lab.controller()),
         ko = ("브로커 %d 이(가) /controller 를 먼저 만들어 컨트롤러가 되었습니다."):format(lab.controller()) }
lab.create_topic{ name = "orders", partitions = 3, replication_factor = 3,
                  config = { ["min.insync.replicas"] = 2 } }
local p = lab.producer{ bootstrap = { 101, 102, 103 }, acks = "all" }
local r = p:send_many("orders", 30)
lab.check(r.acked == 30, "30 orders acknowledged by all three replicas")
-- keyless records: the sticky partitioner put all 30 in one batch
local part = next(r.partitions)
local s = lab.partition("orders", part)
lab.say{ en = ("orders-%d: leader %d, ISR of %d, high watermark %d."):format(part, s.leader, #s.isr, s.hw),
         ko = ("orders-%d: 리더 %d, ISR %d개, 하이 워터마크 %d."):format(part, s.leader, #s.isr, s.hw) }

local victim = s.leader
lab.say{ en = ("Crash broker %d. Its session lives on in ZooKeeper until it times out (18 s)."):format(victim),
         ko = ("브로커 %d 을(를) 비정상 종료합니다. 주키퍼의 세션은 타임아웃(18초)까지 살아 있습니다."):format(victim) }
local t0 = lab.now()
lab.kill(victim)
lab.run(10000)
lab.check(lab.partition("orders", part).leader == victim, "10 s later it is still listed as leader")
lab.run_until(function() return lab.partition("orders", part).leader ~= victim end, 30000)
lab.say{ en = ("A new leader after %.1f s, with a higher leader epoch."):format((lab.now() - t0) / 1000),
         ko = ("%.1f초 뒤 리더 에포크가 올라간 새 리더가 뽑혔습니다."):format((lab.now() - t0) / 1000) }
lab.restart(victim)
lab.check(lab.converge(60000), "the restarted broker catches up and rejoins the ISR")

local leader = lab.partition("orders", 1).leader
lab.say{ en = ("Now stop broker %d cleanly: the controller moves its leaderships first."):format(leader),
         ko = ("이번에는 브로커 %d 을(를) 정상 종료합니다. 컨트롤러가 먼저 리더 자리를 옮깁니다."):format(leader) }
t0 = lab.now()
lab.stop(leader)
lab.check(lab.now() - t0 < 1000, ("the stop took %d ms"):format(lab.now() - t0))
lab.check(lab.partition("orders", 1).leader ~= leader, "orders-1 already has another leader")
lab.check(lab.audit().lost == 0, "no acknowledged order was lost")
