-- Lesson 6: the ensemble as a replicated tree store.
-- The notes say the leader holds the data (how many brokers, topics and
-- partitions Kafka has) and the followers copy it from the leader. Writes
-- do go through the leader, as ZAB's broadcast: PROPOSAL to every
-- follower, ACK from a quorum, then COMMIT (Leader.processAck). But every
-- server holds the whole tree and logs every write; a follower that was
-- down is brought up to date by its leader with DIFF, TRUNC or SNAP
-- (LearnerHandler.syncFollower), and Kafka's naming registry (/brokers/ids,
-- /controller, /brokers/topics) is on every server.

lab.say{ en = "Lesson 6: the ensemble as a tree store",
         ko = "6강: 트리 저장소로서의 앙상블" }

local function server(name)
  for _, s in ipairs(lab.ensemble().servers) do
    if s.name == name then return s end
  end
end

local function serving_with(n)
  return lab.run_until(function()
    local e = lab.ensemble()
    if not e.serving then return false end
    local following = 0
    for _, s in ipairs(e.servers) do
      if s.state == "FOLLOWING" then following = following + 1 end
    end
    return following + 1 >= n
  end, 30000)
end

-- a session pinned to one server reads from that server's own tree
local function read_on(name, path)
  local r = lab.zk_session{ connect = { name }, timeout_ms = 6000 }
  local data = r:get(path)
  r:close()
  return data
end

local ways = { { en = "DIFF (missed txns)", ko = "DIFF (놓친 것만)" },
               { en = "TRUNC (cut its log)", ko = "TRUNC (로그를 자름)" },
               { en = "SNAP (whole tree)", ko = "SNAP (트리 전체)" } }
local way_index = { DIFF = 1, TRUNC = 2, SNAP = 3 }

lab.cluster{ zookeepers = 3, seed = 6 }
lab.check(serving_with(3), { en = "three servers: a leader and two followers serve",
            ko = "서버 3대: 리더 하나와 팔로워 둘이 서비스한다" })
local leader = lab.ensemble().leader
local fs = {}
for _, s in ipairs(lab.ensemble().servers) do
  if s.name ~= leader then fs[#fs + 1] = s.name end
end
local fa, fb = fs[1], fs[2]

lab.say{ en = ("A write, in slow motion in the message view: the client on %s sends it, %s forwards it to the leader %s, the leader sends a PROPOSAL to each follower, they log it and ACK, and once a quorum has it the leader sends COMMIT."):format(fa, fa, leader),
         ko = ("쓰기 하나를 메시지 뷰에서 느리게 봅니다. %s에 붙은 클라이언트가 보내면 %s이(가) 리더 %s에게 넘기고, 리더는 팔로워마다 PROPOSAL 을 보냅니다. 팔로워는 로그에 적고 ACK 를 돌려주고, 쿼럼이 갖게 되면 리더가 COMMIT 을 보냅니다."):format(fa, fa, leader) }
lab.predict{
  question = { en = "How many servers, the leader included, must log the write before it commits?",
               ko = "커밋 전에 리더를 포함해 몇 대가 쓰기를 로그에 적어야 할까요?" },
  choices = { { en = "one", ko = "1대" }, { en = "two", ko = "2대" }, { en = "three", ko = "3대" } },
  answer = 2,
  truth = function() return lab.ensemble().quorum end,
}
local s = lab.zk_session{ connect = { fa }, timeout_ms = 6000 }
lab.run_until(function() return s:state() == "CONNECTED" end, 10000)
lab.messages{ show = true, layer = { "zab", "session" } }
-- a write takes a few ms here: give every link 20 ms (servers in
-- different racks), and slow the screen down, so each arrow can be read
local nodes = { "zk1", "zk2", "zk3", s:name() }
for i = 1, #nodes do
  for j = i + 1, #nodes do lab.link{ from = nodes[i], to = nodes[j], delay_ms = 20, both = true } end
end
lab.slow{ factor = 400, ms = 120 }
lab.check(s:create("/config", "v1") == "/config",
          { en = "the write is acknowledged once a quorum (the leader and one follower) logged it",
            ko = "쓰기는 쿼럼(리더와 팔로워 하나)이 로그에 적으면 확인된다" })
lab.run(50)
lab.heal()

lab.say{ en = "The notes say: 'the leader holds the data and the followers copy it'. Ask each server alone, with a client connected to it only: each answers from its own whole tree.",
         ko = "노트에는 '리더가 갖고 있으며, 팔로워들이 복제해서 갖고 있다'고 되어 있습니다. 서버마다 그 서버에만 붙는 클라이언트로 하나씩 물어봅니다. 각자 자기 트리 전체에서 답합니다." }
lab.messages{ show = false }
for _, name in ipairs({ "zk1", "zk2", "zk3" }) do
  local v = read_on(name, "/config")
  lab.check(v == "v1", { en = ("%s answers /config = %s from its own tree"):format(name, tostring(v)),
              ko = ("%s은(는) 자기 트리에서 /config = %s(으)로 답한다"):format(name, tostring(v)) })
end
lab.check(server(fa).zxid == server(leader).zxid and server(fb).zxid == server(leader).zxid,
          { en = ("every server logged the same last zxid 0x%x: each holds the whole tree, not a copy on demand"):format(server(leader).zxid),
            ko = ("모든 서버가 같은 마지막 zxid 0x%x까지 기록했다: 필요할 때 복사하는 게 아니라 각자 트리 전체를 갖는다"):format(server(leader).zxid) })

lab.say{ en = ("A follower that was down must catch up when it comes back. Crash %s; the lesson then writes three times without it."):format(fb),
         ko = ("죽었던 팔로워는 돌아오면 따라잡아야 합니다. %s을(를) 죽이세요. 그동안 레슨이 그 서버 없이 세 번 씁니다."):format(fb) }
lab.task{
  text = { en = ("Crash the follower %s: select it with Tab and press k (or type :kill %s)."):format(fb, fb),
           ko = ("팔로워 %s을(를) 죽여 보세요: Tab 으로 고르고 k 를 누르세요 (또는 :kill %s 입력)."):format(fb, fb) },
  hint = { en = "'>' in the ENSEMBLE panel marks the selected server.",
           ko = "ENSEMBLE 패널의 '>' 표시가 고른 서버입니다." },
  done = function() return not server(fb).up end,
  solve = function() lab.kill(fb) end,
}
for i = 2, 4 do
  s:set("/config", "v" .. i, -1)
end
lab.check(s:get("/config") == "v4", { en = ("v2, v3, v4 are committed by the leader and %s alone: a quorum"):format(fa),
            ko = ("v2, v3, v4는 리더와 %s만으로 커밋된다: 쿼럼이다"):format(fa) })
lab.predict{
  question = { en = ("%s missed 3 transactions. How will the leader sync it?"):format(fb),
               ko = ("%s은(는) 트랜잭션 3개를 놓쳤습니다. 리더는 어떻게 맞춰 줄까요?"):format(fb) },
  choices = ways,
  answer = 1,
  truth = function() return way_index[server(fb).sync] or 0 end,
}
-- the sync in the message view: the leader's DIFF (or TRUNC, SNAP), then
-- NEWLEADER and UPTODATE
lab.messages{ show = true, layer = "zab", nodes = { leader, fb } }
lab.task{
  text = { en = ("Restart %s: select it and press r (or type :restart %s)."):format(fb, fb),
           ko = ("%s을(를) 다시 시작하세요: 고르고 r 을 누르세요 (또는 :restart %s 입력)."):format(fb, fb) },
  hint = { en = "r restarts the selected server; it loads its own log, then joins the leader.",
           ko = "r 은 고른 서버를 다시 시작합니다. 자기 로그를 읽은 뒤 리더에게 합류합니다." },
  done = function()
    local z = server(fb)
    return z.state == "FOLLOWING" and z.sync ~= "LOAD" and z.sync
  end,
  solve = function() lab.restart(fb) end,
}
lab.run(500)
lab.messages{ show = false }
lab.check(server(fb).sync == "DIFF", { en = ("%s got a DIFF: its last zxid is in the leader's recent log (the last 500 commits), so only the 3 missing transactions were sent"):format(fb),
            ko = ("%s은(는) DIFF 를 받았다: 마지막 zxid 가 리더의 최근 로그(최근 커밋 500개) 안에 있어 빠진 트랜잭션 3개만 보냈다"):format(fb) })
lab.check(read_on(fb, "/config") == "v4", { en = ("%s now answers v4 itself"):format(fb),
            ko = ("이제 %s도 직접 v4로 답한다"):format(fb) })

lab.say{ en = ("Crash %s again, and this time the lesson writes 600 times while it is down: more than the 500 recent commits the leader keeps in memory."):format(fb),
         ko = ("%s을(를) 다시 죽이고, 이번에는 죽어 있는 동안 레슨이 600번 씁니다. 리더가 메모리에 두는 최근 커밋 500개보다 많습니다."):format(fb) }
lab.kill(fb)
for i = 1, 600 do
  s:set("/config", "w" .. i, -1)
end
lab.check(s:get("/config") == "w600", { en = "600 more writes committed without it",
            ko = "그 서버 없이 600번의 쓰기가 더 커밋되었다" })
lab.predict{
  question = { en = ("%s is 600 transactions behind. How will the leader sync it?"):format(fb),
               ko = ("%s은(는) 트랜잭션 600개가 뒤처졌습니다. 이번에는 어떻게 맞춰 줄까요?"):format(fb) },
  choices = ways,
  answer = 3,
  truth = function() return way_index[server(fb).sync] or 0 end,
}
lab.slow{ factor = 20, ms = 500 }
lab.restart(fb)
lab.run_until(function() local z = server(fb); return z.state == "FOLLOWING" and z.sync ~= "LOAD" end, 20000)
lab.run(500)
lab.check(server(fb).sync == "SNAP", { en = ("%s got a SNAP: it is behind the leader's recent log, so the leader sent its whole tree"):format(fb),
            ko = ("%s은(는) SNAP 을 받았다: 리더의 최근 로그보다 더 뒤처져 있어 리더가 트리 전체를 보냈다"):format(fb) })
lab.check(read_on(fb, "/config") == "w600", { en = ("%s answers w600: the snapshot holds the whole tree"):format(fb),
            ko = ("%s은(는) w600으로 답한다: 스냅숏에 트리 전체가 들어 있다"):format(fb) })
s:close()

lab.say{ en = ("Last, a write that never commits. The leader %s is cut off with one client; the client writes 'lost'. %s logs its own PROPOSAL, but no follower gets it."):format(leader, leader),
         ko = ("마지막으로 커밋되지 않는 쓰기입니다. 리더 %s이(가) 클라이언트 하나와 함께 끊깁니다. 클라이언트가 'lost'를 쓰면 %s은(는) 자기 PROPOSAL 을 로그에 적지만 어느 팔로워도 받지 못합니다."):format(leader, leader) }
-- a long session timeout: nothing expires meanwhile, so the new leader
-- writes nothing before the old one comes back
local c = lab.zk_session{ connect = { leader }, timeout_ms = 40000 }
lab.run_until(function() return c:state() == "CONNECTED" end, 10000)
local logged_before = server(leader).zxid
lab.split({ leader, c:name() }, { fa, fb })
local ok, err = c:set("/config", "lost", -1)
lab.check(ok == nil, { en = ("the client got %s: the write was never acknowledged"):format(tostring(err)),
            ko = ("클라이언트는 %s을(를) 받았다: 쓰기는 확인되지 않았다"):format(tostring(err)) })
lab.check(server(leader).zxid > logged_before,
          { en = ("%s logged it all the same (its last zxid 0x%x)"):format(leader, server(leader).zxid),
            ko = ("그래도 %s은(는) 로그에 적었다 (마지막 zxid 0x%x)"):format(leader, server(leader).zxid) })
lab.run_until(function()
  local e = lab.ensemble()
  return e.serving and e.leader ~= nil and e.leader ~= leader
end, 30000)
local newleader = lab.ensemble().leader
lab.check(newleader ~= leader and lab.ensemble().serving,
          { en = ("%s and %s elected %s without it"):format(fa, fb, tostring(newleader)),
            ko = ("%s과(와) %s이(가) 그 서버 없이 %s을(를) 뽑았다"):format(fa, fb, tostring(newleader)) })
lab.predict{
  question = { en = ("%s holds a transaction %s never had. How will %s sync it?"):format(leader, tostring(newleader), tostring(newleader)),
               ko = ("%s에는 %s에게 없는 트랜잭션이 있습니다. %s은(는) 어떻게 맞춰 줄까요?"):format(leader, tostring(newleader), tostring(newleader)) },
  choices = ways,
  answer = 2,
  truth = function() return way_index[server(leader).sync] or 0 end,
}
lab.slow{ factor = 20, ms = 500 }
lab.heal()
lab.run_until(function() local z = server(leader); return z.state == "FOLLOWING" end, 30000)
lab.run(500)
lab.check(server(leader).sync == "TRUNC", { en = ("%s got a TRUNC: its log was cut back to the last committed transaction"):format(leader),
            ko = ("%s은(는) TRUNC 를 받았다: 로그가 마지막으로 커밋된 트랜잭션까지 잘렸다"):format(leader) })
c:close()
lab.check(read_on(leader, "/config") == "w600", { en = ("%s answers w600: the write 'lost' is gone everywhere, as its client was told"):format(leader),
            ko = ("%s은(는) w600으로 답한다: 'lost' 쓰기는 어디에도 없다. 클라이언트가 들은 그대로다"):format(leader) })

lab.say{ en = "The notes call ZooKeeper a naming registry: Kafka keeps there which brokers are alive, which one is the controller, and its topics with their partitions. A new world with three brokers and a topic orders: see it in the ZNODES panel (f to browse).",
         ko = "노트는 주키퍼를 네이밍 레지스트리라고 부릅니다. 카프카는 살아 있는 브로커, 컨트롤러가 누구인지, 토픽과 파티션을 거기에 둡니다. 브로커 3대와 토픽 orders 가 있는 새 월드입니다. znode 패널에서 보세요 (f 로 탐색)." }
lab.cluster{ zookeepers = 3, brokers = 3, seed = 6 }
lab.check(lab.wait_brokers(), { en = "brokers 101, 102, 103 registered", ko = "브로커 101, 102, 103이 등록되었다" })
lab.create_topic{ name = "orders", partitions = 3, replication_factor = 3 }
lab.run(1000)
local e = lab.ensemble()
local follower
for _, sv in ipairs(e.servers) do
  if sv.state == "FOLLOWING" then follower = sv.name; break end
end
local r = lab.zk_session{ connect = { follower }, timeout_ms = 6000 }
local ids = r:children("/brokers/ids") or {}
lab.check(#ids == 3, { en = ("the follower %s lists /brokers/ids: %s (each an ephemeral znode of a live broker)"):format(follower, table.concat(ids, ", ")),
            ko = ("팔로워 %s에서 /brokers/ids 를 보면 %s (살아 있는 브로커마다 임시 znode 하나)"):format(follower, table.concat(ids, ", ")) })
local ctl = r:get("/controller")
lab.check(ctl ~= nil and ctl:find(tostring(lab.controller()), 1, true) ~= nil,
          { en = ("/controller names broker %s: %s"):format(tostring(lab.controller()), tostring(ctl)),
            ko = ("/controller 는 브로커 %s을(를) 가리킨다: %s"):format(tostring(lab.controller()), tostring(ctl)) })
local parts = r:children("/brokers/topics/orders/partitions") or {}
lab.check(#parts == 3, { en = ("/brokers/topics/orders holds its replica assignment, and its partitions %s their leader and ISR"):format(table.concat(parts, ", ")),
            ko = ("/brokers/topics/orders 에는 레플리카 배치가, 파티션 %s에는 각자의 리더와 ISR 이 있다"):format(table.concat(parts, ", ")) })
r:close()

lab.say{ en = "Summary: writes go through the leader (PROPOSAL, ACK from a quorum, COMMIT), and every server logs them and holds the whole tree, not a copy fetched on demand. A returning follower is synced by DIFF (a few missed), SNAP (far behind) or TRUNC (it held what never committed). Kafka's registry, brokers, controller and topics, is on every server.",
         ko = "정리: 쓰기는 리더를 거치고(PROPOSAL, 쿼럼의 ACK, COMMIT), 모든 서버가 이를 로그에 적어 트리 전체를 갖습니다. 필요할 때 복사해 오는 사본이 아닙니다. 돌아온 팔로워는 DIFF(조금 놓쳤을 때), SNAP(많이 뒤처졌을 때), TRUNC(커밋되지 않은 것을 가졌을 때)로 맞춰집니다. 카프카의 레지스트리인 브로커, 컨트롤러, 토픽도 모든 서버에 있습니다." }
lab.ask{
  question = { en = "What tells Kafka that broker 102 is alive?",
               ko = "브로커 102가 살아 있다는 것은 무엇으로 알까요?" },
  choices = { { en = "its ephemeral znode", ko = "임시 znode" },
              { en = "the leader pings it", ko = "리더의 핑" },
              { en = "a list on the leader", ko = "리더의 목록" } },
  answer = 1,
  why = { en = "/brokers/ids/102 is an ephemeral znode, there while the broker's session lives; when its session ends (a clean stop, or an expiry after a crash) the znode goes and the controller's watch fires.",
          ko = "/brokers/ids/102는 브로커의 세션이 살아 있는 동안만 있는 임시 znode 입니다. 세션이 끝나면(깨끗한 종료, 또는 크래시 뒤 만료) znode 가 사라지고 컨트롤러의 워치가 발동합니다." },
}
