-- Lesson 10: every ensemble server holds the whole tree. The notes say the
-- leader holds the data and followers copy it. True for writes, which all
-- go through the leader; but every follower keeps a full copy and answers
-- reads itself, so a read on a follower can be a moment behind.

lab.say{ en = "Lesson 10: followers hold the whole tree and answer reads",
         ko = "10강: 팔로워도 트리 전체를 갖고 읽기에 직접 답합니다" }
lab.cluster{ zookeepers = 3, seed = 10 }
lab.run_until(function() return lab.ensemble().serving end, 20000)
local leader = lab.ensemble().leader
local followers = {}
for _, s in ipairs(lab.ensemble().servers) do
  if s.name ~= leader then followers[#followers + 1] = s.name end
end
local f1, f2 = followers[1], followers[2]

local writer = lab.zk_session{ connect = { f1 }, timeout_ms = 6000 }
local reader = lab.zk_session{ connect = { f2 }, timeout_ms = 6000 }
lab.check(writer:create("/price", "100") == "/price",
          { en = "a client on follower " .. f1 .. " writes: the follower forwards it to the leader",
            ko = "팔로워 " .. f1 .. " 에 붙은 클라이언트가 쓴다: 팔로워는 쓰기를 리더에게 넘긴다" })
lab.run(100)
lab.check(reader:get("/price") == "100",
          { en = "a client on follower " .. f2 .. " reads it from that follower's own copy",
            ko = "팔로워 " .. f2 .. " 에 붙은 클라이언트는 그 팔로워의 사본에서 읽는다" })

lab.say{ en = ("Now slow the link from the leader %s to %s: its commits arrive 300 ms late."):format(leader, f2),
         ko = ("이제 리더 %s에서 %s(으)로 가는 링크를 느리게 합니다. 커밋이 300 ms 늦게 도착합니다."):format(leader, f2) }
lab.link{ from = leader, to = f2, delay_ms = { 300, 300 } }
lab.check(writer:set("/price", "120", -1) ~= nil,
          { en = "the write is acknowledged: the leader and " .. f1 .. " are a quorum",
            ko = "쓰기가 확인된다: 리더와 " .. f1 .. " 만으로 쿼럼이다" })
local seen = reader:get("/price")
lab.check(seen == "100",
          { en = "a read on " .. f2 .. " right after still returns the old value " .. tostring(seen),
            ko = "바로 뒤 " .. f2 .. " 에서 읽으면 아직 옛 값 " .. tostring(seen) .. "이(가) 나온다" })
lab.say{ en = "ZooKeeper promises each client a consistent order, not that every read sees the latest write. A client that must see it calls sync first.",
         ko = "주키퍼는 클라이언트마다 순서가 일관된 것을 보장할 뿐, 모든 읽기가 최신 쓰기를 본다고 약속하지는 않습니다. 꼭 최신 값을 봐야 하는 클라이언트는 먼저 sync 를 호출합니다." }
local t0 = lab.now()
local synced = reader:sync("/price")
local took = lab.now() - t0
lab.check(synced == true and reader:get("/price") == "120",
          { en = ("after reader:sync(\"/price\") the read returns 120: %s sent the sync to the leader, whose answer came behind the commit (%d ms)"):format(f2, took),
            ko = ("reader:sync(\"/price\") 뒤에는 120이 나온다: %s이(가) sync를 리더에게 보냈고, 리더의 답은 커밋 뒤에 왔다 (%d ms)"):format(f2, took) })
lab.heal()
