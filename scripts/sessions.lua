-- sessions: ephemeral znodes, watches and session expiry, the building
-- blocks of locks and of Kafka's broker registry.
lab.cluster{ zookeepers = 3, seed = 2 }
lab.run_until(function() return lab.ensemble().serving end, 30000)

local a = lab.zk_session{ timeout_ms = 6000 }
local b = lab.zk_session{ timeout_ms = 6000 }
lab.say{ en = "Session " .. a:name() .. " takes a lock: an ephemeral, sequential znode.",
         ko = "세션 " .. a:name() .. "이 락을 잡습니다. 임시(ephemeral) 순차(sequential) znode입니다." }
a:create("/locks", "")
local mine = a:create("/locks/lock-", "", { ephemeral = true, sequential = true })
lab.say("  " .. mine)
lab.check(mine == "/locks/lock-0000000000", { en = "a 10-digit sequence suffix", ko = "10자리 순번이 붙는다" })

lab.say{ en = b:name() .. " watches the lock directory for changes.",
         ko = b:name() .. "은 락 디렉터리의 변화를 지켜봅니다." }
local fired
b:watch("/locks", function(ev, path) fired = ev end, { children = true })

lab.say{ en = "Now " .. a:name() .. " is cut off from the network. Nothing happens until its 6 s timeout runs out at the leader.",
         ko = "이제 " .. a:name() .. "을 네트워크에서 떼어 놓습니다. 리더에서 6초 타임아웃이 지나기 전에는 아무 일도 없습니다." }
lab.isolate(a:name())
local t0 = lab.now()
lab.run_until(function() return fired ~= nil end, 30000)
lab.say{ en = ("After %d ms the session expired, the lock znode was deleted and %s got %s."):format(lab.now() - t0, b:name(), tostring(fired)),
         ko = ("%d ms 뒤 세션이 만료되어 락 znode가 지워졌고 %s은 %s 이벤트를 받았습니다."):format(lab.now() - t0, b:name(), tostring(fired)) }
lab.check(fired == "NodeChildrenChanged", { en = "the watch fired", ko = "워치가 발동했다" })
lab.check(#b:children("/locks") == 0, { en = "the lock is free", ko = "락이 풀렸다" })
lab.heal()
local _, err = a:get("/locks")
lab.say{ en = a:name() .. " comes back and hears: " .. tostring(err),
         ko = a:name() .. "이 돌아와서 듣는 말: " .. tostring(err) }
lab.check(err == "SESSIONEXPIRED", { en = "an expired session stays expired", ko = "만료된 세션은 되살아나지 않는다" })
