-- Lesson 7: how the cluster learns a broker is gone. ZooKeeper tells Kafka
-- about changes (the notes are right), but only when the broker's session
-- ends: a crash is noticed after zookeeper.session.timeout.ms (18 s), a
-- clean stop at once.

local function leader_of(topic, part)
  return lab.partition(topic, part).leader
end

lab.say{ en = "Lesson 7: crash versus clean stop",
         ko = "7강: 비정상 종료와 정상 종료" }
lab.cluster{ zookeepers = 3, brokers = 3, seed = 7 }
lab.wait_brokers(3)
lab.create_topic{ name = "t", partitions = 3, replication_factor = 3 }
lab.run(5000)

local victim = leader_of("t", 0)
if victim == lab.controller() then victim = leader_of("t", 1) end
lab.say{ en = ("Crash broker %d, leader of a partition. Its ZooKeeper session lives on until it times out."):format(victim),
         ko = ("파티션 리더인 브로커 %d 을(를) 비정상 종료합니다. 이 브로커의 주키퍼 세션은 타임아웃될 때까지 살아 있습니다."):format(victim) }
local part = leader_of("t", 0) == victim and 0 or 1
local t0 = lab.now()
lab.kill(victim)
lab.run(10000)
lab.check(leader_of("t", part) == victim, { en = "10 s after the crash the dead broker is still listed as leader",
            ko = "장애 10초 뒤에도 죽은 브로커가 여전히 리더로 남아 있다" })
lab.run_until(function() return leader_of("t", part) ~= victim end, 30000)
local took = lab.now() - t0
lab.say{ en = ("A new leader after %.1f s. The ZooKeeper leader expires the session 18 s after it last heard from the broker, which pings every 6 s when idle; so a crash is noticed 12 to 20 s after it happens, then the controller elects."):format(took / 1000),
         ko = ("%.1f 초 뒤에 새 리더가 생겼습니다. 주키퍼 리더는 브로커에게서 마지막으로 소식을 들은 지 18초가 지나면 세션을 만료시키는데, 한가한 브로커는 6초마다 핑을 보냅니다. 그래서 장애는 12~20초 뒤에 알려지고, 그다음 컨트롤러가 리더를 뽑습니다."):format(took / 1000) }
lab.check(took >= 12000 and took <= 22000, { en = "a crash is noticed only when the session expires, 12 to 20 s later",
            ko = "장애는 세션이 만료되는 12~20초 뒤에야 알려진다" })

lab.restart(victim)
lab.run(20000)
local other = leader_of("t", 2)
if other == lab.controller() then
  lab.say{ en = "(This partition's leader is the controller; a clean stop moves the controller too.)",
           ko = "(이 파티션의 리더가 컨트롤러이기도 합니다. 정상 종료하면 컨트롤러도 옮겨 갑니다.)" }
end
lab.say{ en = ("Now stop broker %d cleanly: it asks the controller to move its leaderships first, then closes its session."):format(other),
         ko = ("이번에는 브로커 %d 을(를) 정상 종료합니다. 먼저 컨트롤러에게 리더 자리를 옮겨 달라고 한 뒤 세션을 닫습니다."):format(other) }
t0 = lab.now()
lab.stop(other)
lab.run_until(function() local l = leader_of("t", 2); return l ~= nil and l ~= other end, 30000)
lab.check(lab.now() - t0 < 2000, { en = "a clean stop moves leadership within a couple of seconds",
            ko = "정상 종료는 2초 안에 리더 자리를 옮긴다" })
