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
      -- FOLLOWING from the election on, but serving only once synced
      if s.state == "FOLLOWING" and s.serving then following = following + 1 end
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

lab.say{ en = ("A write in slow motion: watch PROPOSAL, ACK and COMMIT in the message view. %s is in a rack farther away: 60 ms to the leader %s; the other links take 20 ms."):format(fb, leader),
         ko = ("쓰기 하나를 느리게: 메시지 뷰에서 PROPOSAL, ACK, COMMIT을 보세요. %s은(는) 먼 랙에 있어 리더 %s까지 60 ms가 걸리고, 다른 링크는 20 ms입니다."):format(fb, leader) }
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
-- different racks) and the links between the leader and the other
-- follower 60 ms (a farther rack), and slow the screen down, so each
-- arrow can be read and the far follower's ACK comes in after the COMMIT
lab.link{ nodes = { "zk1", "zk2", "zk3", s:name() }, delay_ms = 20 }
lab.link{ from = leader, to = fb, delay_ms = 60, both = true }
lab.slow{ factor = 400, ms = 180 }
local write_at = lab.now()
lab.check(s:create("/config", "v1") == "/config",
          { en = ("the write went from %s to the leader %s, then a PROPOSAL to each follower"):format(fa, leader),
            ko = ("쓰기는 %s에서 리더 %s(으)로, 이어서 PROPOSAL이 팔로워마다 갔다"):format(fa, leader) })
lab.run(60)
-- Leader.processAck commits once the acks (its own counted) make a
-- quorum, SyncedLearnerTracker.hasAllQuorums: it never waits for the rest
local commit, far_ack
local log = lab.message_log(write_at)
local t0 = log[1] and log[1].at_ms or write_at    -- the client's request
for _, m in ipairs(log) do
  if m.from == leader and m.type == "COMMIT" and not commit then commit = m end
  if m.from == fb and m.to == leader and m.type == "ACK" and not far_ack then far_ack = m end
end
-- visibly before: in an earlier instant, not merely earlier in one instant
lab.check(commit and far_ack and far_ack.delivered_ms and commit.at_ms < far_ack.delivered_ms,
          { en = ("%.0f ms after the client's request the leader sent COMMIT, with its own log and %s's ACK: a quorum of 2. %s's ACK came only at %.0f ms: one follower's ACK is enough"):format(
                  commit and commit.at_ms - t0 or -1, fa, fb, far_ack and far_ack.delivered_ms and far_ack.delivered_ms - t0 or -1),
            ko = ("클라이언트가 요청하고 %.0f ms 만에 리더가 COMMIT을 보냈다: 자기 로그와 %s의 ACK으로 2대, 쿼럼이다. %s의 ACK은 %.0f ms에야 왔다: 팔로워 하나의 ACK이면 충분하다"):format(
                  commit and commit.at_ms - t0 or -1, fa, fb, far_ack and far_ack.delivered_ms and far_ack.delivered_ms - t0 or -1) })
lab.heal()

lab.say{ en = "The notes: 'the leader holds the data, the followers copy it'. Ask each server alone, through a client connected to it only.",
         ko = "노트: '리더가 갖고 있으며, 팔로워들이 복제해서 갖고 있다'. 서버마다 그 서버에만 붙는 클라이언트로 물어봅니다." }
lab.messages{ show = false }
for _, name in ipairs({ "zk1", "zk2", "zk3" }) do
  local v = read_on(name, "/config")
  lab.check(v == "v1", { en = ("%s answers /config = %s from its own tree"):format(name, tostring(v)),
              ko = ("%s은(는) 자기 트리에서 /config = %s(으)로 답한다"):format(name, tostring(v)) })
end
lab.check(server(fa).zxid == server(leader).zxid and server(fb).zxid == server(leader).zxid,
          { en = ("every server logged the same last zxid 0x%x: each holds the whole tree, not a copy on demand"):format(server(leader).zxid),
            ko = ("모든 서버가 같은 마지막 zxid 0x%x까지 기록했다: 필요할 때 복사하는 게 아니라 각자 트리 전체를 갖는다"):format(server(leader).zxid) })

lab.say{ en = ("Crash %s; the lesson writes three times without it, then you bring it back."):format(fb),
         ko = ("%s을(를) 죽이면 레슨이 세 번 씁니다. 그다음 다시 살립니다."):format(fb) }
lab.task{
  text = { en = ("Crash the follower %s (Tab to it, k; or :kill %s)."):format(fb, fb),
           ko = ("팔로워 %s을(를) 죽이세요 (Tab으로 골라 k, 또는 :kill %s)."):format(fb, fb) },
  hint = { en = "'>' in the ENSEMBLE panel marks the selected server.",
           ko = "앙상블 패널의 '>' 표시가 고른 서버입니다." },
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
  text = { en = ("Restart %s (select it, r; or :restart %s)."):format(fb, fb),
           ko = ("%s을(를) 다시 시작하세요 (골라서 r, 또는 :restart %s)."):format(fb, fb) },
  hint = { en = "r restarts the selected server; it loads its own log, then joins the leader.",
           ko = "r은 고른 서버를 다시 시작합니다. 자기 로그를 읽은 뒤 리더에게 합류합니다." },
  done = function()
    local z = server(fb)
    return z.state == "FOLLOWING" and z.sync ~= "LOAD" and z.sync
  end,
  solve = function() lab.restart(fb) end,
}
lab.run(500)
lab.messages{ show = false }
lab.check(server(fb).sync == "DIFF", { en = ("%s got a DIFF: its last zxid is in the leader's recent log (the last 500 commits), so only the 3 missing transactions were sent"):format(fb),
            ko = ("%s은(는) DIFF를 받았다: 마지막 zxid가 리더의 최근 로그(최근 커밋 500개) 안에 있어 빠진 트랜잭션 3개만 보냈다"):format(fb) })
lab.check(read_on(fb, "/config") == "v4", { en = ("%s now answers v4 itself"):format(fb),
            ko = ("이제 %s도 직접 v4로 답한다"):format(fb) })

lab.say{ en = ("%s down again; 600 writes this time, more than the 500 the leader keeps."):format(fb),
         ko = ("%s을(를) 다시 죽이고 600번 씁니다(리더가 두는 건 최근 500개)."):format(fb) }
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
lab.check(server(fb).sync == "SNAP", { en = ("%s got a SNAP: it is behind the leader's 500 recent commits, and its log on disk would be bigger than a third of a snapshot of this small tree, so the leader sent the whole tree"):format(fb),
            ko = ("%s은(는) SNAP을 받았다: 리더의 최근 커밋 500개보다 뒤처졌고, 디스크의 로그로 맞추면 이 작은 트리의 스냅숏 3분의 1보다 커서 리더가 트리 전체를 보냈다"):format(fb) })
lab.check(read_on(fb, "/config") == "w600", { en = ("%s answers w600: the snapshot holds the whole tree"):format(fb),
            ko = ("%s은(는) w600으로 답한다: 스냅숏에 트리 전체가 들어 있다"):format(fb) })
s:close()

lab.say{ en = ("A write that never commits: the leader %s and one client are cut off."):format(leader),
         ko = ("커밋되지 않는 쓰기: 리더 %s이(가) 클라이언트 하나와 함께 끊깁니다."):format(leader) }
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
          { en = ("the client wrote 'lost' and %s logged it all the same, alone (its last zxid 0x%x)"):format(leader, server(leader).zxid),
            ko = ("클라이언트가 'lost'를 썼고, 그래도 %s은(는) 혼자 로그에 적었다 (마지막 zxid 0x%x)"):format(leader, server(leader).zxid) })
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
            ko = ("%s은(는) TRUNC를 받았다: 로그가 마지막으로 커밋된 트랜잭션까지 잘렸다"):format(leader) })
c:close()
lab.check(read_on(leader, "/config") == "w600", { en = ("%s answers w600: the write 'lost' is gone everywhere, as its client was told"):format(leader),
            ko = ("%s은(는) w600으로 답한다: 'lost' 쓰기는 어디에도 없다. 클라이언트가 들은 그대로다"):format(leader) })

lab.say{ en = "The notes call ZooKeeper a naming registry: Kafka keeps its live brokers, its controller and its topics there. Three brokers and a topic orders:",
         ko = "노트는 주키퍼를 네이밍 레지스트리라고 합니다. 카프카는 살아 있는 브로커, 컨트롤러, 토픽을 거기 둡니다. 브로커 3대와 토픽 orders:" }
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
            ko = ("팔로워 %s에서 /brokers/ids를 보면 %s (살아 있는 브로커마다 임시 znode 하나)"):format(follower, table.concat(ids, ", ")) })
local ctl = r:get("/controller")
lab.check(ctl ~= nil and ctl:find(tostring(lab.controller()), 1, true) ~= nil,
          { en = ("/controller names broker %s: %s"):format(tostring(lab.controller()), tostring(ctl)),
            ko = ("/controller는 브로커 %s을(를) 가리킨다: %s"):format(tostring(lab.controller()), tostring(ctl)) })
local parts = r:children("/brokers/topics/orders/partitions") or {}
lab.check(#parts == 3, { en = ("/brokers/topics/orders holds its replica assignment, and its partitions %s their leader and ISR"):format(table.concat(parts, ", ")),
            ko = ("/brokers/topics/orders에는 레플리카 배치가, 파티션 %s에는 각자의 리더와 ISR이 있다"):format(table.concat(parts, ", ")) })
r:close()

lab.say{ en = "Summary: every server logs each write (PROPOSAL, ACK, COMMIT) and holds the whole tree; a returning follower gets DIFF, SNAP or TRUNC.",
         ko = "정리: 모든 서버가 쓰기마다 로그에 적고(PROPOSAL, ACK, COMMIT) 트리 전체를 갖습니다. 돌아온 팔로워는 DIFF, SNAP, TRUNC를 받습니다." }
lab.ask{
  question = { en = "What tells Kafka that broker 102 is alive?",
               ko = "브로커 102가 살아 있다는 것은 무엇으로 알까요?" },
  choices = { { en = "its ephemeral znode", ko = "임시 znode" },
              { en = "the leader pings it", ko = "리더의 핑" },
              { en = "a list on the leader", ko = "리더의 목록" } },
  answer = 1,
  why = { en = "/brokers/ids/102 is an ephemeral znode, there while the broker's session lives; when its session ends (a clean stop, or an expiry after a crash) the znode goes and the controller's watch fires.",
          ko = "/brokers/ids/102는 브로커의 세션이 살아 있는 동안만 있는 임시 znode입니다. 세션이 끝나면(깨끗한 종료, 또는 크래시 뒤 만료) znode가 사라지고 컨트롤러의 워치가 발동합니다." },
}
