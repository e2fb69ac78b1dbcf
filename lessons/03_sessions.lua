-- Lesson 3: sessions, ephemeral znodes and watches: how Kafka's brokers
-- register in ZooKeeper, and how the cluster learns one is gone.

lab.say{ en = "Lesson 3: sessions, ephemeral znodes and watches",
         ko = "3강: 세션, 임시(ephemeral) znode, 워치" }
lab.cluster{ zookeepers = 3, seed = 3 }
lab.run_until(function() return lab.ensemble().serving end, 20000)

local admin = lab.zk_session{ connect = { "zk1", "zk2", "zk3" }, timeout_ms = 6000 }
admin:create("/brokers", "")
admin:create("/brokers/ids", "")

lab.say{ en = "A broker opens a session and registers itself as an ephemeral znode: it lives only as long as the session.",
         ko = "브로커는 세션을 열고 자신을 임시 znode로 등록합니다. 이 znode는 세션이 살아 있는 동안만 존재합니다." }
local broker = lab.zk_session{ connect = { "zk1", "zk2", "zk3" }, timeout_ms = 6000 }
lab.check(broker:create("/brokers/ids/101", '{"host":"b101"}', { ephemeral = true }) == "/brokers/ids/101",
          { en = "the broker registers /brokers/ids/101",
            ko = "브로커가 /brokers/ids/101 을 등록한다" })

local events = {}
admin:watch("/brokers/ids", function(ev, path) events[#events + 1] = ev end, { children = true })
lab.say{ en = "The controller watches /brokers/ids. Watches fire once, and the watcher hears of the change before it reads new data.",
         ko = "컨트롤러는 /brokers/ids 를 워치합니다. 워치는 한 번만 발동하고, 워처는 새 데이터를 읽기 전에 변경 알림부터 받습니다." }

-- the client shuffles its connect string (StaticHostProvider), so the
-- broker's server depends on the seed: name it from the session
local first = broker:server()
lab.say{ en = "The broker's server " .. first .. " dies (the client picked it: it shuffles its connect string). The session is not tied to one server: the client moves to another and the znode stays.",
         ko = "브로커가 붙어 있던 " .. first .. "이(가) 죽습니다(클라이언트는 접속 문자열을 섞어서 서버를 고릅니다). 세션은 서버 한 대에 묶여 있지 않으므로 클라이언트는 다른 서버로 옮겨 가고 znode는 그대로 남습니다." }
lab.kill(first)
lab.run(4000)
lab.check(admin:get("/brokers/ids/101") ~= nil, { en = "the ephemeral znode survives its server's death",
            ko = "임시 znode는 접속한 서버가 죽어도 남는다" })
lab.check(broker:server() ~= first, { en = "the broker's session moved to " .. tostring(broker:server()),
            ko = "브로커의 세션이 " .. tostring(broker:server()) .. "(으)로 옮겨 갔다" })

lab.say{ en = "Now the broker itself freezes (a long GC pause). Nothing is deleted until the leader has heard nothing for the whole session timeout.",
         ko = "이번에는 브로커 자체가 멈춥니다(긴 GC 정지). 리더가 세션 타임아웃 내내 아무 소식도 듣지 못해야 비로소 삭제됩니다." }
local t0 = lab.now()
lab.pause(broker:name(), 60000)  -- the session's client process freezes
lab.run_until(function() return #events > 0 end, 30000)
local gone = lab.now() - t0
-- the leader counts from the session's last ping, sent up to a third of
-- the timeout before the freeze
lab.check(gone >= broker:timeout() * 2 // 3 and gone <= broker:timeout() + 2000,
          { en = "the session expired about one session timeout after its last ping",
            ko = "마지막 핑으로부터 세션 타임아웃쯤 지나 세션이 만료된다" })
lab.check(#events > 0, { en = "the watch fired when the session expired",
            ko = "세션이 만료되자 워치가 발동한다" })
lab.check(admin:get("/brokers/ids/101") == nil, { en = "expiry deleted the ephemeral znode",
            ko = "만료와 함께 임시 znode가 지워진다" })
lab.say{ en = ("The znode went %d ms after the broker froze: one session timeout (%d ms) after its last ping."):format(gone, broker:timeout()),
         ko = ("브로커가 멈춘 뒤 %d ms 만에 znode가 사라졌습니다. 마지막 핑으로부터 세션 타임아웃(%d ms)이 지난 시점입니다."):format(gone, broker:timeout()) }
