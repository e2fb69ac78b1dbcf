-- Lesson 14: after ZooKeeper, KRaft. The lesson runs Kafka 2.8 in ZooKeeper
-- mode (the side-by-side KRaft part is still to come; the sandbox's
-- --mode kraft is where a learner sees KRaft itself). What it shows live is
-- what KRaft replaces: the controller's dependence on ZooKeeper (/controller,
-- /controller_epoch, /brokers/ids), and how slowly a crashed controller is
-- replaced through it. The notes say (in Korean) KRaft came in the versions
-- "after 2.x" ("Kafka 2.x 이후 버전에서는 ... KRaft (Kafka Raft) 모드를
-- 지원하기 시작했다"): it arrived in 2.8 as early access (KIP-500), became
-- production-ready in 3.3 (KIP-833), and 4.0 removed ZooKeeper mode.

local function broker(id)
  for _, b in ipairs(lab.brokers()) do if b.id == id then return b end end
end

lab.say{ en = "Lesson 14: after ZooKeeper, KRaft",
         ko = "14강: 주키퍼 다음, KRaft" }
lab.cluster{ zookeepers = 3, brokers = 3, seed = 14 }
lab.wait_brokers()
lab.create_topic{ name = "pay", partitions = 3, replication_factor = 3 }
lab.run(3000)
-- the lesson reads ZooKeeper with a plain session of its own, c1
local c1 = lab.zk_session{ timeout_ms = 6000 }
local ctrl = lab.controller()
local cdata = c1:get("/controller")
local epoch0 = tonumber((c1:get("/controller_epoch")))
lab.check(cdata and cdata:find('"brokerid":' .. ctrl, 1, true) ~= nil,
          { en = ("broker %d is the controller because it holds the ephemeral znode /controller: %s"):format(ctrl, tostring(cdata)),
            ko = ("브로커 %d이(가) 컨트롤러인 것은 임시 znode /controller를 쥐고 있기 때문이다: %s"):format(ctrl, tostring(cdata)) })

lab.say{ en = "This lesson runs Kafka 2.8 in ZooKeeper mode, to show live what KRaft replaces: a controller that lives by ZooKeeper. It learns who is alive from /brokers/ids, keeps the cluster's state in znodes, and is controller only while it holds /controller.",
         ko = "이 레슨은 카프카 2.8을 주키퍼 모드로 돌려, KRaft가 무엇을 대신하는지를 실제로 보여 줍니다: 주키퍼에 기대어 사는 컨트롤러입니다. 컨트롤러는 /brokers/ids로 누가 살아 있는지 알고, 클러스터 상태를 znode에 두며, /controller를 쥐고 있는 동안만 컨트롤러입니다." }
local ids = c1:children("/brokers/ids")
lab.check(#ids == 3 and epoch0 ~= nil,
          { en = ("/brokers/ids lists %s; /controller_epoch is %d (it grows with every new controller and fences an old one)"):format(table.concat(ids, ", "), epoch0 or -1),
            ko = ("/brokers/ids에는 %s이(가) 있고, /controller_epoch는 %d이다 (새 컨트롤러마다 커지며 옛 컨트롤러를 막는다)"):format(table.concat(ids, ", "), epoch0 or -1) })

lab.say{ en = ("Crash the controller, broker %d. Its /controller znode stays until its ZooKeeper session expires (the » line under the grid counts down); only then do the other brokers race to create it."):format(ctrl),
         ko = ("컨트롤러인 브로커 %d을(를) 크래시시킵니다. 그 /controller znode는 주키퍼 세션이 만료될 때까지 남고(» 줄이 초를 셉니다), 그제야 다른 브로커들이 먼저 만들려고 경쟁합니다."):format(ctrl) }
local took
lab.predict{
  question = { en = "How many seconds until another broker is the controller?",
               ko = "다른 브로커가 컨트롤러가 되기까지 몇 초 걸릴까요?" },
  unit = "s", answer = 18, tolerance = 6,
  truth = function() return took end,
}
local crash = lab.task{
  text = { en = ("Crash the controller: type :kill %d (or select broker %d with Tab and press k)."):format(ctrl, ctrl),
           ko = ("컨트롤러를 크래시시키세요: :kill %d 입력 (또는 Tab으로 브로커 %d을(를) 골라 k)."):format(ctrl, ctrl) },
  hint = { en = ("The controller is marked * in the PLACEMENT panel: %d*."):format(ctrl),
           ko = ("PLACEMENT 패널에서 컨트롤러는 *로 표시됩니다: %d*."):format(ctrl) },
  done = function() return not broker(ctrl).up end,
  solve = function() lab.kill(ctrl) end,
}
local t0 = lab.now()
lab.run_until(function() local c = lab.controller(); return c ~= nil and c ~= ctrl end, 60000)
took = (lab.now() - t0) / 1000
local epoch1 = tonumber((c1:get("/controller_epoch")))
-- the new controller then moves the dead broker's leaderships
-- (KafkaController.onBrokerFailure); the step ends once it has, so the
-- grid never waits on a dead leader while the next steps talk
lab.run_until(function()
  for p = 0, 2 do
    local l = lab.partition("pay", p).leader
    if l == nil or l == ctrl then return false end
  end
  return true
end, 30000)
lab.check(crash.done and lab.controller() ~= nil and lab.controller() ~= ctrl and epoch1 == epoch0 + 1,
          { en = ("%.1f s later broker %s won /controller and raised /controller_epoch to %d; it then read every topic's state back from ZooKeeper"):format(took, tostring(lab.controller()), epoch1 or -1),
            ko = ("%.1f초 뒤 브로커 %s이(가) /controller를 차지하고 /controller_epoch를 %d(으)로 올렸다. 그다음 모든 토픽 상태를 주키퍼에서 다시 읽었다"):format(took, tostring(lab.controller()), epoch1 or -1) })

lab.say{ en = "KRaft removes all of this. 3 or 5 controller nodes form a Raft quorum and keep the metadata as a log, __cluster_metadata; the log's leader is the active controller. Brokers heartbeat to it instead of holding ZooKeeper sessions.",
         ko = "KRaft는 이 모든 것을 없앱니다. 컨트롤러 노드 3대나 5대가 Raft 쿼럼을 이루어 메타데이터를 로그(__cluster_metadata)로 보관하고, 그 로그의 리더가 활성 컨트롤러입니다. 브로커는 세션 대신 하트비트를 보냅니다." }
lab.say{ en = "What would KRaft do where you just waited?",
         ko = "방금 기다린 그 자리에서 KRaft라면 어떨까요?" }
lab.ask{
  question = { en = "In KRaft the active controller dies. Its successor first...",
               ko = "KRaft에서 활성 컨트롤러가 죽으면, 후임은 먼저..." },
  choices = { { en = "waits for a session to expire", ko = "세션 만료를 기다린다" },
              { en = "wins a Raft vote, log in hand", ko = "로그를 쥔 채 Raft 투표에서 이긴다" },
              { en = "reloads every topic", ko = "모든 토픽을 다시 읽는다" } },
  answer = 2,
  why = { en = "Standby controllers replicate the metadata log all along.",
          ko = "대기 컨트롤러는 메타데이터 로그를 늘 복제해 둡니다." },
}

lab.say{ en = "The notes say KRaft came \"after 2.x\". The dates: 2.8 (2021) shipped it as early access, not for production (KIP-500); 3.3 (2022) made it production-ready (KIP-833); 3.5 deprecated ZooKeeper mode; 4.0 (2025) removed it.",
         ko = "노트에는 KRaft가 \"2.x 이후\"에 나왔다고 적혀 있습니다. 실제로는 2.8(2021)에 얼리 액세스로 나왔고 운영용은 아니었습니다(KIP-500). 3.3(2022)에서 운영 가능해졌고(KIP-833), 3.5에서 주키퍼 모드가 폐기 예정, 4.0(2025)에서 제거되었습니다." }
lab.say{ en = "A question on the dates.",
         ko = "연표에 대한 질문입니다." }
lab.ask{
  question = { en = "Which version first made KRaft production-ready?",
               ko = "KRaft를 처음으로 운영 환경에 쓸 수 있게 한 버전은?" },
  choices = { "2.8", "3.3", "4.0" },
  answer = 2,
  why = { en = "2.8 was early access; 3.3 was declared production-ready (KIP-833); 4.0 dropped ZooKeeper mode.",
          ko = "2.8은 얼리 액세스였고, 3.3이 운영 가능으로 선언되었으며(KIP-833), 4.0은 주키퍼 모드를 없앴습니다." },
}

lab.say{ en = "Summary: in ZooKeeper mode the controller is whoever holds /controller; a successor waits for a session timeout, then reloads the state from ZooKeeper. KRaft keeps the metadata in a Raft log on a controller quorum: a standby controller is already up to date, and there is no second system to run. To see it, quit and run build/quorumlab --sandbox --mode kraft --brokers 3, then crash the active controller (ctl1..ctl3) or a broker.",
         ko = "정리: 주키퍼 모드의 컨트롤러는 /controller를 쥔 브로커이고, 후임은 세션 타임아웃을 기다린 뒤 주키퍼에서 상태를 다시 읽습니다. KRaft는 메타데이터를 컨트롤러 쿼럼의 Raft 로그에 두므로 대기 컨트롤러가 이미 최신이고, 따로 돌릴 시스템이 없습니다. 직접 보려면 랩을 끝내고 build/quorumlab --sandbox --mode kraft --brokers 3을 실행한 뒤 활성 컨트롤러(ctl1..ctl3)나 브로커를 크래시시켜 보세요." }
