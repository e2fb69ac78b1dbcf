-- Lesson 8: followers answer reads themselves, a moment behind the leader.
-- The notes say the followers "take the data from the leader" and keep a
-- copy of what the leader holds. Writes do all go through the leader, but
-- every server answers reads from its own tree without asking anyone
-- (FinalRequestProcessor on the server the client is connected to), so a
-- read on a follower can miss a write another client already saw
-- acknowledged. ZooKeeper promises each client an ordered view, not the
-- latest one; sync() (Learner.sync, answered by the leader behind the
-- commits it had proposed) makes the follower catch up first.

lab.say{ en = "Lesson 8: followers answer reads, a moment behind the leader",
         ko = "8강: 팔로워는 읽기에 직접 답하고, 리더보다 조금 늦을 수 있다" }

local function server(name)
  for _, s in ipairs(lab.ensemble().servers) do
    if s.name == name then return s end
  end
end

local function cut(node)
  local _, any_cut = lab.status(node)
  return any_cut
end

lab.cluster{ zookeepers = 3, seed = 10 }
lab.check(lab.run_until(function() return lab.ensemble().serving end, 20000),
          { en = "the ensemble elects a leader and serves", ko = "앙상블이 리더를 뽑고 서비스한다" })
local leader = lab.ensemble().leader
local followers = {}
for _, s in ipairs(lab.ensemble().servers) do
  if s.name ~= leader then followers[#followers + 1] = s.name end
end
local f1, f2 = followers[1], followers[2]

lab.say{ en = ("The notes: followers take the data from the leader. A writer on %s, a reader on %s: the write goes to the leader %s; %s answers the read alone."):format(f1, f2, leader, f2),
         ko = ("노트: 팔로워는 리더에서 데이터를 가져간다. %s에 쓰는 클라이언트, %s에 읽는 클라이언트: 쓰기는 리더 %s(으)로 가고, 읽기는 %s 혼자 답합니다."):format(f1, f2, leader, f2) }
local writer = lab.zk_session{ connect = { f1 }, timeout_ms = 6000 }
local reader = lab.zk_session{ connect = { f2 }, timeout_ms = 6000 }
lab.run_until(function() return writer:state() == "CONNECTED" and reader:state() == "CONNECTED" end, 10000)
-- the message view: the write's PROPOSAL, ACK and COMMIT, then the read
-- that stays between the reader and its follower
lab.messages{ show = true, layer = { "session", "zab" } }
lab.slow{ factor = 20, ms = 200 }
lab.check(writer:create("/price", "100") == "/price",
          { en = ("the writer on %s creates /price = 100: %s forwards it to the leader, which proposes it to all"):format(f1, f1),
            ko = ("%s에 붙은 클라이언트가 /price = 100을 만든다: %s은(는) 쓰기를 리더에게 넘기고, 리더가 모두에게 제안한다"):format(f1, f1) })
lab.run(100)
lab.slow{ factor = 20, ms = 100 }
lab.check(reader:get("/price") == "100",
          { en = ("the reader on %s gets 100 from %s's own copy: no message to the leader"):format(f2, f2),
            ko = ("%s에 붙은 클라이언트는 %s의 사본에서 100을 읽는다: 리더에게 묻지 않는다"):format(f2, f2) })
lab.run(100)

lab.say{ en = ("Cut %s off from the leader: it serves its clients until it notices."):format(f2),
         ko = ("%s을(를) 리더에게서 끊어도, 알아챌 때까지 클라이언트를 받습니다."):format(f2) }
lab.messages{ show = false }
local choices = { { en = "120 (new)", ko = "120 (새 값)" },
                  { en = "100 (old)", ko = "100 (옛 값)" },
                  { en = "an error", ko = "오류" } }
local seen
lab.predict{
  question = { en = ("%s cut off, /price set to 120 and acknowledged: what does %s's reader get?"):format(f2, f2),
               ko = ("%s이(가) 끊긴 뒤 /price가 120으로 확인되면, %s의 클라이언트는 무엇을 읽을까요?"):format(f2, f2) },
  choices = choices,
  answer = 2,
  truth = function()
    if seen == "120" then return 1 elseif seen == "100" then return 2 else return 3 end
  end,
}
lab.task{
  text = { en = ("Cut %s off from the leader %s: type :split %s / %s"):format(f2, leader, f2, leader),
           ko = ("%s을(를) 리더 %s에게서 끊어 보세요: :split %s / %s 입력"):format(f2, leader, f2, leader) },
  hint = { en = (": opens the command line. Not i: isolating %s would cut its reader off too (h heals)."):format(f2),
           ko = (": 로 명령줄을 엽니다. i는 안 됩니다. %s을(를) 고립시키면 읽는 클라이언트까지 끊깁니다 (h로 복구)."):format(f2) },
  done = function()
    return cut(f2) and not cut(reader:name()) and not cut(f1) and not cut(writer:name())
  end,
  solve = function() lab.split({ f2 }, { leader }) end,
}
lab.check(writer:set("/price", "120", -1) ~= nil,
          { en = ("the write 120 is acknowledged: the leader and %s are a quorum"):format(f1),
            ko = ("120 쓰기가 확인된다: 리더와 %s만으로 쿼럼이다"):format(f1) })
seen = reader:get("/price")
lab.check(seen == "100",
          { en = ("the reader on %s still gets %s: its follower answers from its own, older copy"):format(f2, tostring(seen)),
            ko = ("%s에 붙은 클라이언트는 여전히 %s을(를) 읽는다: 팔로워가 자기의 옛 사본으로 답한다"):format(f2, tostring(seen)) })
lab.check(server(f2).state == "FOLLOWING",
          { en = ("%s still thinks it is FOLLOWING: it notices only after syncLimit x tickTime (10 s) of silence"):format(f2),
            ko = ("%s은(는) 아직 FOLLOWING이라고 여긴다: 침묵이 syncLimit x tickTime(10초) 이어져야 알아챈다"):format(f2) })
lab.heal()
lab.run_until(function() return reader:get("/price") == "120" end, 20000)

lab.say{ en = ("Even uncut, a follower lags a moment: messages to %s now take 300 ms."):format(f2),
         ko = ("안 끊겨도 팔로워는 잠깐 늦습니다. 이제 %s(으)로 가는 메시지가 300 ms 걸립니다."):format(f2) }
lab.check(reader:get("/price") == "120", { en = ("after the heal %s caught up: 120"):format(f2),
            ko = ("복구 뒤 %s은(는) 따라잡았다: 120"):format(f2) })
lab.link{ from = leader, to = f2, delay_ms = { 300, 300 } }
-- the message view: the write's PROPOSAL and COMMIT on their slow way to
-- f2, the read answered before them, then the sync behind them
lab.messages{ show = true, layer = { "session", "zab" }, nodes = { reader:name(), f2, leader } }
lab.slow{ factor = 20, ms = 1000 }
lab.check(writer:set("/price", "130", -1) ~= nil,
          { en = "the write 130 is acknowledged", ko = "130 쓰기가 확인된다" })
local before = reader:get("/price")
lab.check(before == "120",
          { en = ("a read on %s right after still returns %s"):format(f2, tostring(before)),
            ko = ("바로 뒤 %s에서 읽으면 아직 %s이(가) 나온다"):format(f2, tostring(before)) })
local t0 = lab.now()
local synced = reader:sync("/price")
local took = lab.now() - t0
lab.check(synced == true and reader:get("/price") == "130",
          { en = ("after reader:sync(\"/price\") the read returns 130: %s asked the leader, whose answer came behind the commit (%d ms)"):format(f2, took),
            ko = ("reader:sync(\"/price\") 뒤에는 130이 나온다: %s이(가) 리더에게 물었고, 리더의 답은 커밋 뒤에 왔다 (%d ms)"):format(f2, took) })
lab.run(100)
lab.ask{
  question = { en = "To read no older than a write already acknowledged, a client first calls:",
               ko = "이미 확인된 쓰기보다 오래된 값을 읽지 않으려면 클라이언트가 먼저 부를 것은?" },
  choices = { "sync(path)", "exists(path)", { en = "get twice", ko = "get 두 번" } },
  answer = 1,
  why = { en = "sync makes the client's server apply everything the leader had proposed before it answers; a second get may be just as old.",
          ko = "sync는 클라이언트가 붙은 서버가 리더가 제안한 것을 모두 반영한 뒤에 답하게 합니다. get을 한 번 더 해도 똑같이 옛 값일 수 있습니다." },
}
lab.heal()

lab.say{ en = "Summary: writes go through the leader, but every server holds the whole tree and answers reads itself, maybe a moment behind. A client that must see the latest calls sync first.",
         ko = "정리: 쓰기는 리더를 거치지만, 모든 서버가 트리 전체를 갖고 읽기에 직접 답하며 조금 늦을 수 있습니다. 최신 값이 꼭 필요하면 먼저 sync를 부릅니다." }
