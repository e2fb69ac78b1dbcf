-- demo: a narrated tour of a ZooKeeper ensemble. Three servers elect a
-- leader, a client writes, the leader is killed and the others elect a new
-- one, then a second crash takes the quorum away and the ensemble stops
-- serving until a server comes back.
local function serving() return lab.ensemble().serving end
local function show()
  local e = lab.ensemble()
  local parts = {}
  for _, s in ipairs(e.servers) do parts[#parts + 1] = s.name .. " " .. s.state end
  lab.say(("  [%6d ms] %s | leader %s, epoch %d, %s"):format(lab.now(),
          table.concat(parts, ", "), e.leader or "none", e.epoch,
          e.serving and "serving" or "NOT serving"))
end

lab.say{ en = "== A three-server ZooKeeper ensemble ==",
         ko = "== 서버 세 대로 된 ZooKeeper 앙상블 ==" }
lab.cluster{ zookeepers = 3, seed = 1 }
lab.say{ en = "All three start LOOKING and vote. Votes compare epoch, then the last zxid, then the server id.",
         ko = "세 서버 모두 LOOKING 상태로 시작해 투표합니다. 투표는 epoch, 마지막 zxid, 서버 id 순서로 비교합니다." }
lab.check(lab.run_until(serving, 30000),
          { en = "a leader is elected", ko = "리더가 선출된다" })
show()
lab.say{ en = "Their logs are all empty, so the highest id, zk3, wins, in epoch 1.",
         ko = "로그가 모두 비어 있으니 id가 가장 큰 zk3가 epoch 1의 리더가 됩니다." }
lab.check(lab.ensemble().leader == "zk3", { en = "zk3 leads", ko = "zk3가 리더다" })

lab.say{ en = "A client connects and writes /config. The write commits once a quorum (2 of 3) has it.",
         ko = "클라이언트가 접속해 /config를 씁니다. 쿼럼(3대 중 2대)이 받아야 커밋됩니다." }
local s = lab.zk_session{ connect = { "zk1", "zk2", "zk3" }, timeout_ms = 6000 }
lab.check(s:create("/config", "v1") == "/config", { en = "/config is created", ko = "/config가 만들어진다" })
lab.say{ en = "Now kill the leader. Its connections reset, so the followers notice at once and elect again.",
         ko = "이제 리더를 죽입니다. 연결이 끊기니 팔로워들이 바로 알아채고 다시 선출합니다." }
local t0 = lab.now()
lab.kill("zk3")
lab.check(lab.run_until(function() local e = lab.ensemble() return e.serving and e.leader ~= "zk3" end, 30000),
          { en = "a new leader is elected", ko = "새 리더가 선출된다" })
show()
lab.say{ en = ("It took %d ms. zk2 leads, and the epoch went up by one: every election starts a new epoch."):format(lab.now() - t0),
         ko = ("%d ms 걸렸습니다. zk2가 리더가 되었고 epoch가 하나 올랐습니다. 선출할 때마다 새 epoch가 시작됩니다."):format(lab.now() - t0) }
lab.check(lab.ensemble().epoch == 2, { en = "epoch 2", ko = "epoch 2" })
lab.check(s:get("/config") == "v1", { en = "the committed write survived", ko = "커밋된 쓰기는 살아남았다" })
local got = {}
s:watch("/config", function(ev, path) got[#got + 1] = ev end)
lab.say{ en = "The client watches /config and changes it: a watch fires once, before the new data is read.",
         ko = "클라이언트가 /config에 워치를 걸고 값을 바꿉니다. 워치는 한 번만, 새 데이터를 읽기 전에 발동합니다." }
s:set("/config", "v2")
lab.run(100)
lab.check(got[1] == "NodeDataChanged", { en = "the watch fired: NodeDataChanged", ko = "워치가 발동했다: NodeDataChanged" })

lab.say{ en = "Kill zk2 as well. One server of three is not a majority: nobody may lead.",
         ko = "zk2도 죽입니다. 세 대 중 한 대는 과반이 아니므로 누구도 리더가 될 수 없습니다." }
lab.kill("zk2")
lab.run(10000)
show()
lab.check(not lab.ensemble().serving, { en = "no quorum, no service", ko = "쿼럼이 없으면 서비스도 없다" })
local v, err = s:get("/config")
lab.say{ en = "The client's read fails with " .. tostring(err) .. ".",
         ko = "클라이언트의 읽기는 " .. tostring(err) .. " 오류로 실패합니다." }
lab.check(err == "CONNECTIONLOSS", { en = "CONNECTIONLOSS without a quorum", ko = "쿼럼이 없으면 CONNECTIONLOSS" })

lab.say{ en = "Restart zk3: two of three are a quorum again.",
         ko = "zk3를 다시 켭니다. 세 대 중 두 대면 다시 쿼럼입니다." }
lab.restart("zk3")
lab.check(lab.run_until(serving, 60000), { en = "serving again", ko = "다시 서비스한다" })
show()
lab.check(s:get("/config") == "v2", { en = "and no committed write was lost", ko = "커밋된 쓰기는 하나도 잃지 않았다" })
