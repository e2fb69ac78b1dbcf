-- Lesson 9: sessions and failure detection. A broker is registered in
-- ZooKeeper by an ephemeral znode (/brokers/ids/N) that lives as long as
-- the broker's session. The notes say (in Korean) ZooKeeper "변경 사항에
-- 대해서 kafka 에게 알림을 제공한다 (예: Broker 추가/제거)": it tells Kafka
-- when a broker is added or removed. True, but ZooKeeper learns a broker
-- is gone only when its session ends: at once for a clean stop, after the
-- session timeout (zookeeper.session.timeout.ms, 18 s) for a crash, a long
-- GC pause or a cut network. The learner does each of the four.
--
-- Automatic leader rebalance is off in this world, so a leadership stays
-- where a failover put it (by default the controller would move it back
-- to the preferred replica at its next check, every 300 s, and a learner
-- would see a move nobody explained).

local function leader_of(p) return lab.partition("pay", p).leader end

-- the partition broker id leads (the lowest), or nil
local function led_by(id)
  for p = 0, 2 do if leader_of(p) == id then return p end end
end

local function broker(id)
  for _, b in ipairs(lab.brokers()) do if b.id == id then return b end end
end

-- whether broker id leads a partition of pay or is in its ISR
local function holds_any(id)
  for p = 0, 2 do
    local s = lab.partition("pay", p)
    if s.leader == id then return true end
    for _, r in ipairs(s.isr) do if r == id then return true end end
  end
  return false
end

local function all_in_sync()
  for p = 0, 2 do
    local s = lab.partition("pay", p)
    if s.leader == nil or #s.isr ~= 3 then return false end
  end
  return true
end

-- the rule the dashboard's countdowns follow (the » line under the grid,
-- read from the world's own timers: SessionTrackerImpl's expiry at the
-- leader's tick): the ensemble's leader expires a session 18 s after it
-- last heard from it; an idle broker pings every third of that (6 s), so
-- the end comes 12 to 20 s after the broker went. A lab.countdown here
-- could only say "at most 20 s" beside the exact one, so there is none.

-- runs until partition p has a leader other than id: the seconds it took.
-- Then on until the controller's whole batch is out (onBrokerFailure
-- writes one partition state after another: the new leaders, then id out
-- of the ISRs it only followed in), so the step's result, where the
-- world holds still, never shows a dead broker still in sync
local function failover(p, id)
  local t0 = lab.now()
  lab.run_until(function() local l = leader_of(p); return l ~= nil and l ~= id end, 60000)
  local took = (lab.now() - t0) / 1000
  lab.run_until(function() return not holds_any(id) end, 5000)
  return took
end

-- starts id again and runs until it is back in every ISR
local function rejoin(id)
  lab.restart(id)
  lab.run_until(function() local b = broker(id); return b.registered and all_in_sync() end, 60000)
end

lab.say{ en = "Lesson 9: sessions and failure detection",
         ko = "9강: 세션과 장애 감지" }
lab.cluster{ zookeepers = 3, brokers = 3, seed = 7,
             config = { ["auto.leader.rebalance.enable"] = false } }
lab.wait_brokers()
lab.create_topic{ name = "pay", partitions = 3, replication_factor = 3 }
lab.run(3000)
-- the lesson reads ZooKeeper with a plain session of its own, c1
local c1 = lab.zk_session{ timeout_ms = 6000 }
local ids = c1:children("/brokers/ids")
lab.check(#ids == 3, { en = ("/brokers/ids lists %s: each an ephemeral znode, owned by its broker's ZooKeeper session (ZNODES panel: [eph 0x...])"):format(table.concat(ids, ", ")),
                       ko = ("/brokers/ids에 %s이(가) 있다: 각각 브로커의 주키퍼 세션이 소유한 임시 znode다 (znode 패널: [eph 0x...])"):format(table.concat(ids, ", ")) })

lab.say{ en = "The notes say ZooKeeper \"tells Kafka about changes, e.g. a broker added or removed\". It does, but only once the broker's session ends. A broker can go four ways: a clean stop, a crash, a long pause, a cut network. You do each.",
         ko = "노트에는 주키퍼가 \"변경 사항에 대해서 kafka 에게 알림을 제공한다 (예: Broker 추가/제거)\"고 적혀 있습니다. 맞지만, 브로커의 세션이 끝나야 알립니다. 브로커가 사라지는 길은 넷입니다: 정상 종료, 크래시, 긴 정지, 네트워크 단절. 하나씩 직접 해 봅니다." }
lab.say{ en = "Before you try them, a guess.",
         ko = "직접 해 보기 전에 먼저 맞혀 보세요." }
lab.ask{
  question = { en = "Which of the four does ZooKeeper notice at once?",
               ko = "넷 중 주키퍼가 바로 알아채는 것은?" },
  choices = { { en = "the clean stop", ko = "정상 종료" }, { en = "the crash", ko = "크래시" },
              { en = "all four", ko = "넷 모두" } },
  answer = 1,
  why = { en = "Only a clean stop closes its session; the others leave it to time out.",
          ko = "세션을 스스로 닫는 것은 정상 종료뿐입니다. 나머지는 타임아웃을 기다립니다." },
}

local stopped = 102
local sp = led_by(stopped)
lab.say{ en = ("1. A clean stop. Broker %d leads pay-%d. Stopped cleanly, it asks the controller to move its leaderships first, then closes its session."):format(stopped, sp),
         ko = ("1. 정상 종료. 브로커 %d은(는) pay-%d의 리더입니다. 정상 종료하면 먼저 컨트롤러에게 리더 자리를 옮겨 달라고 한 뒤 세션을 닫습니다."):format(stopped, sp) }
local how   -- how 102 went down: "clean" or "crash" (nil while up)
lab.task{
  text = { en = ("Stop broker %d cleanly: type :stop %d (or select it with Tab and press s)."):format(stopped, stopped),
           ko = ("브로커 %d을(를) 정상 종료하세요: :stop %d 입력 (또는 Tab으로 골라 s)."):format(stopped, stopped) },
  hint = { en = "s is a clean stop (controlled shutdown); k would be a crash.",
           ko = "s는 정상 종료(controlled shutdown), k는 크래시입니다." },
  done = function()
    if broker(stopped).up then how = nil; return false end
    -- judged at the instant it went down: a clean stop left no
    -- leadership and no ISR place behind (the controller took them
    -- first, KafkaController.doControlledShutdown); a crash leaves both
    -- until its session expires, and then they go too
    how = how or (holds_any(stopped) and "crash" or "clean")
    if how == "clean" then return true end
    return false, { en = "that was a crash (k); s stops cleanly — b to try again",
                    ko = "방금 것은 크래시(k)였습니다. 정상 종료는 s입니다 — b를 눌러 다시 해 보세요" }
  end,
  -- after a crash the broker must come back before it can stop cleanly
  solve = function()
    if not broker(stopped).up then rejoin(stopped) end
    lab.stop(stopped)
  end,
}
lab.run(2000)
lab.check(leader_of(sp) ~= nil and leader_of(sp) ~= stopped,
          { en = ("pay-%d is led by %s: moved before %d went down; no timer, no countdown"):format(sp, tostring(leader_of(sp)), stopped),
            ko = ("pay-%d의 리더는 %s: %d이(가) 내려가기 전에 옮겨졌다. 타이머도 카운트다운도 없다"):format(sp, tostring(leader_of(sp)), stopped) })
lab.check(c1:exists("/brokers/ids/" .. stopped) == nil,
          { en = ("/brokers/ids/%d went at once: %d closed its session itself"):format(stopped, stopped),
            ko = ("/brokers/ids/%d은(는) 곧바로 사라졌다: %d이(가) 세션을 스스로 닫았다"):format(stopped, stopped) })

lab.say{ en = ("The lesson starts %d again: it registers a new znode and rejoins every ISR as a follower. pay-%d stays with its new leader: this lesson turned automatic leader rebalance off (on, it moves leaders back to their first replica within 300 s)."):format(stopped, sp),
         ko = ("레슨이 %d을(를) 다시 시작합니다. 새 znode를 등록하고 모든 ISR에 팔로워로 돌아옵니다. pay-%d은(는) 새 리더에게 남습니다: 이 레슨은 자동 리더 재조정을 꺼 두었습니다(켜져 있으면 300초 안에 리더를 첫 복제본으로 되돌립니다)."):format(stopped, sp) }
rejoin(stopped)
lab.check(c1:exists("/brokers/ids/" .. stopped) ~= nil and all_in_sync() and leader_of(sp) ~= stopped,
          { en = ("%d is registered again and in every ISR; pay-%d is still led by %s"):format(stopped, sp, tostring(leader_of(sp))),
            ko = ("%d이(가) 다시 등록되어 모든 ISR에 있다. pay-%d의 리더는 여전히 %s"):format(stopped, sp, tostring(leader_of(sp))) })

local crashed = 101
local cp = led_by(crashed)
lab.say{ en = ("2. A crash: broker %d, leader of pay-%d, is killed as with kill -9: the process dies and the operating system closes its sockets, so its connections reset. ZooKeeper does not end a session for a lost connection: it lives on until it times out, and the » line under the grid counts down to its expiry."):format(crashed, cp),
         ko = ("2. 크래시: pay-%d의 리더인 브로커 %d의 프로세스가 kill -9를 맞은 것처럼 죽습니다. 운영체제가 소켓을 닫으므로 연결은 곧바로 리셋됩니다. 그래도 주키퍼는 연결이 끊겼다고 세션을 끝내지 않습니다. 세션은 타임아웃될 때까지 살아 있고, 그리드 아래 » 줄이 만료까지 남은 시간을 셉니다."):format(cp, crashed) }
local took
lab.predict{
  question = { en = ("After the crash, how many seconds until pay-%d has a new leader?"):format(cp),
               ko = ("크래시 후 몇 초 뒤에 pay-%d에 새 리더가 생길까요?"):format(cp) },
  unit = "s", answer = 18, tolerance = 6,
  truth = function() return took end,
}
local crash = lab.task{
  text = { en = ("Crash broker %d: type :kill %d (or select it with Tab and press k)."):format(crashed, crashed),
           ko = ("브로커 %d을(를) 크래시시키세요: :kill %d 입력 (또는 Tab으로 골라 k)."):format(crashed, crashed) },
  hint = { en = "k on the selected broker crashes it.", ko = "고른 브로커에서 k를 누르면 크래시합니다." },
  done = function() return not broker(crashed).up end,
  solve = function() lab.kill(crashed) end,
}
took = failover(cp, crashed)
lab.check(crash.done and took >= 12 and took <= 20.5 and not holds_any(crashed),
          { en = ("pay-%d has a new leader, %s, %.1f s after the crash: only when %d's session expired did its znode go and the controller hear of it; it also took %d out of every ISR"):format(cp, tostring(leader_of(cp)), took, crashed, crashed),
            ko = ("크래시 %.1f초 뒤 pay-%d에 새 리더 %s: %d의 세션이 만료되어서야 znode가 사라지고 컨트롤러가 알게 되었다. 컨트롤러는 %d을(를) 모든 ISR에서도 뺐다"):format(took, cp, tostring(leader_of(cp)), crashed, crashed) })

-- why not 18 s (the lab's zk_client and zk_serve.c do as the real ones):
-- ClientCnxn pings after a third of the timeout without traffic, and the
-- leader's SessionTrackerImpl counts the timeout from the session's last
-- touch and expires it in tickTime buckets (ExpiryQueue.roundToNextInterval)
lab.say{ en = ("Why %.1f s and not 18? ZooKeeper counts the 18 s from the last time it heard from %d, not from the crash: a broker with nothing to say pings ZooKeeper after a third of the timeout (6 s), and the ensemble's leader ends sessions only at its ticks (tickTime 2 s), each expiry rounded up to the next one. So a crash is noticed 12 to 20 s after it. The lesson starts %d again; it rejoins as a follower."):format(took, crashed, crashed),
         ko = ("왜 18초가 아니라 %.1f초일까요? 주키퍼는 18초를 크래시 순간이 아니라 %d에게서 마지막으로 소식을 들은 때부터 셉니다. 보낼 것이 없는 브로커는 타임아웃의 3분의 1(6초)이 지나면 주키퍼에 핑을 보내고, 앙상블의 리더는 세션을 자기 틱(tickTime 2초)마다만 끝내며 만료 시각을 다음 틱으로 올립니다. 그래서 크래시는 12~20초 뒤에 알려집니다. 레슨이 %d을(를) 다시 시작합니다. 팔로워로 돌아옵니다."):format(took, crashed, crashed) }
rejoin(crashed)
lab.check(c1:exists("/brokers/ids/" .. crashed) ~= nil and all_in_sync(),
          { en = ("%d is registered again and in every ISR"):format(crashed),
            ko = ("%d이(가) 다시 등록되어 모든 ISR에 있다"):format(crashed) })

local paused = leader_of(cp)
local pp = led_by(paused)
local epoch0 = lab.partition("pay", pp).leader_epoch
local reg0 = c1:exists("/brokers/ids/" .. paused)
lab.say{ en = ("3. A long GC pause: broker %d, leader of pay-%d (leader epoch %d), freezes. It is not dead, and nobody is told; watch the » countdown."):format(paused, pp, epoch0),
         ko = ("3. 긴 GC 정지: pay-%d의 리더(리더 에포크 %d)인 브로커 %d이(가) 멈춥니다. 죽은 것이 아니며, 아무도 알려 주지 않습니다. » 카운트다운을 보세요."):format(pp, epoch0, paused) }
lab.task{
  text = { en = ("Pause broker %d: type :pause %d (or select it with Tab and press p)."):format(paused, paused),
           ko = ("브로커 %d을(를) 일시 정지시키세요: :pause %d 입력 (또는 Tab으로 골라 p)."):format(paused, paused) },
  hint = { en = "p freezes the selected node until p again (or :resume).",
           ko = "p는 고른 노드를 다시 p(또는 :resume)할 때까지 멈춥니다." },
  done = function() return lab.status(paused) == "PAUSED" end,
  solve = function() lab.pause(paused) end,
}
local gone = failover(pp, paused)
local now = lab.partition("pay", pp)
lab.check(gone >= 12 and c1:exists("/brokers/ids/" .. paused) == nil and now.leader_epoch > epoch0 and not holds_any(paused),
          { en = ("%.1f s into the pause %d's session expired (its 18 s run from its last ping and end at one of the leader's ticks), its znode went, %s leads pay-%d in leader epoch %d, and %d is in no ISR"):format(gone, paused, tostring(now.leader), pp, now.leader_epoch, paused),
            ko = ("정지 %.1f초 만에 %d의 세션이 만료되어(18초는 마지막 핑부터 세고 리더의 틱에 끝난다) znode가 사라졌고, %s이(가) 리더 에포크 %d(으)로 pay-%d을(를) 이끌며, %d은(는) 어느 ISR에도 없다"):format(gone, paused, tostring(now.leader), now.leader_epoch, pp, paused) })

lab.say{ en = ("%d wakes up. It still believes it leads pay-%d in epoch %d. The epochs fence it: its session is expired, so it registers again under a new broker epoch, and the controller's LeaderAndIsr (epoch %d) makes it a follower."):format(paused, pp, epoch0, now.leader_epoch),
         ko = ("%d이(가) 깨어납니다. 아직 자신이 에포크 %d의 pay-%d 리더라고 믿습니다. 에포크가 이를 막습니다: 세션이 만료되었으니 새 브로커 에포크로 다시 등록하고, 컨트롤러가 보내는 LeaderAndIsr 요청(에포크 %d)을 받아 팔로워가 됩니다."):format(paused, epoch0, pp, now.leader_epoch) }
lab.messages{ show = true, layer = "kafka", nodes = { paused } }
lab.slow{ factor = 10, ms = 2000 }
if lab.status(paused) == "PAUSED" then lab.resume(paused) end
lab.run_until(function() return broker(paused).registered and all_in_sync() end, 60000)
local reg1 = c1:exists("/brokers/ids/" .. paused)
lab.check(reg1 ~= nil and reg1.czxid > reg0.czxid and reg1.ephemeral_owner ~= reg0.ephemeral_owner,
          { en = ("/brokers/ids/%d is back with a new session and a new broker epoch (its czxid, 0x%x > 0x%x): the controller now takes its requests only under the new one"):format(paused, reg1 and reg1.czxid or 0, reg0.czxid),
            ko = ("/brokers/ids/%d이(가) 새 세션, 새 브로커 에포크(czxid 0x%x > 0x%x)로 돌아왔다: 이제 컨트롤러는 새 에포크의 요청만 받는다"):format(paused, reg1 and reg1.czxid or 0, reg0.czxid) })
lab.check(leader_of(pp) ~= paused and lab.partition("pay", pp).leader_epoch == now.leader_epoch,
          { en = ("%d follows %s on pay-%d: leader epoch %d stands"):format(paused, tostring(leader_of(pp)), pp, now.leader_epoch),
            ko = ("%d은(는) pay-%d에서 %s을(를) 따른다: 리더 에포크 %d 그대로"):format(paused, pp, tostring(leader_of(pp)), now.leader_epoch) })

local cut = leader_of(pp)
local xp = led_by(cut)
lab.say{ en = ("4. A cut network: broker %d, leader of pay-%d, loses every link. It runs on, alone."):format(cut, xp),
         ko = ("4. 네트워크 단절: pay-%d의 리더인 브로커 %d의 모든 링크가 끊깁니다. 혼자서 계속 돌아갑니다."):format(xp, cut) }
lab.messages{ show = false }
lab.ask{
  question = { en = ("Compared with the crash, how soon is %d noticed?"):format(cut),
               ko = ("크래시와 비교해 %d은(는) 얼마나 빨리 알려질까요?"):format(cut) },
  choices = { { en = "sooner", ko = "더 빨리" }, { en = "the same: at session expiry", ko = "같다: 세션 만료 때" },
              { en = "never", ko = "영영 모른다" } },
  answer = 2,
  why = { en = "Either way the session outlives the connection: only its timeout ends it.",
          ko = "어느 쪽이든 세션은 연결보다 오래 삽니다. 타임아웃만이 끝냅니다." },
}
lab.task{
  text = { en = ("Cut broker %d off: type :isolate %d (or select it with Tab and press i)."):format(cut, cut),
           ko = ("브로커 %d을(를) 고립시키세요: :isolate %d 입력 (또는 Tab으로 골라 i)."):format(cut, cut) },
  hint = { en = "i isolates the selected node; h heals.", ko = "i는 고른 노드를 고립시키고, h는 복구합니다." },
  done = function() return select(2, lab.status(cut)) end,
  solve = function() lab.isolate(cut) end,
}
local cut_took = failover(xp, cut)
lab.check(cut_took >= 12 and cut_took <= 20.5 and not holds_any(cut),
          { en = ("pay-%d has a new leader, %s, %.1f s after the cut, and %d is in no ISR: the same session timeout as the crash, again counted from %d's last ping and ending at one of the leader's ticks, so again 12 to 20 s"):format(xp, tostring(leader_of(xp)), cut_took, cut, cut),
            ko = ("단절 %.1f초 뒤 pay-%d에 새 리더 %s, %d은(는) 어느 ISR에도 없다: 크래시와 같은 세션 타임아웃이다. 이번에도 %d의 마지막 핑부터 세고 틱에 끝나므로 역시 12~20초 안이다"):format(cut_took, xp, tostring(leader_of(xp)), cut, cut) })

lab.say{ en = ("The network heals: %d learns its session expired, registers again and catches up as a follower."):format(cut),
         ko = ("네트워크가 회복됩니다. %d은(는) 세션이 만료된 것을 알고 다시 등록한 뒤 팔로워로 따라잡습니다."):format(cut) }
lab.heal()
lab.run_until(function() return broker(cut).registered and all_in_sync() end, 60000)
lab.check(broker(cut).registered and all_in_sync(),
          { en = ("%d is registered again and every ISR is whole"):format(cut),
            ko = ("%d이(가) 다시 등록되었고 모든 ISR이 온전하다"):format(cut) })

lab.say{ en = "Summary: ZooKeeper tells Kafka a broker left when its ephemeral znode goes, and that goes with the session. A clean stop closes the session: leadership moves at once. A crash, a GC pause and a cut network all wait for the session timeout (12 to 20 s with 18 s). A broker that wakes after its session expired is fenced by epochs: a new broker epoch, a higher leader epoch.",
         ko = "정리: 주키퍼는 브로커의 임시 znode가 사라질 때 카프카에 알리고, 그 znode는 세션과 함께 사라집니다. 정상 종료는 세션을 닫으므로 리더 자리가 곧바로 옮겨집니다. 크래시, GC 정지, 네트워크 단절은 모두 세션 타임아웃을 기다립니다(18초 설정이면 12~20초). 세션이 만료된 뒤 깨어난 브로커는 에포크가 막습니다: 새 브로커 에포크, 더 높은 리더 에포크." }
