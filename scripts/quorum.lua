-- quorum: why ensembles have an odd size. 3 and 4 servers both survive
-- exactly one failure; 5 survive two. Then a partition: the side with the
-- majority goes on, the minority stops.
local function serving() return lab.ensemble().serving end

for _, n in ipairs({ 3, 4, 5 }) do
  lab.cluster{ zookeepers = n, seed = n }
  lab.run_until(serving, 30000)
  local e = lab.ensemble()
  lab.say{ en = ("%d servers: quorum %d, leader %s."):format(n, e.quorum, e.leader),
           ko = ("서버 %d대: 쿼럼 %d, 리더 %s."):format(n, e.quorum, e.leader) }
  local down = 0
  for id = 1, n do
    lab.kill("zk" .. id)
    down = down + 1
    lab.run(15000)
    lab.run_until(serving, 15000)
    if not lab.ensemble().serving then break end
  end
  lab.say{ en = ("  it stopped serving when %d of %d were down, so it tolerates %d."):format(down, n, down - 1),
           ko = ("  %d대 중 %d대가 멈추자 서비스를 멈췄습니다. 견디는 장애는 %d대입니다."):format(n, down, down - 1) }
  lab.check(down - 1 == (n - 1) // 2, { en = n .. " servers survive the loss of " .. (n - 1) // 2,
                                        ko = "서버 " .. n .. "대는 " .. (n - 1) // 2 .. "대의 장애를 견딘다" })
end

lab.say{ en = "A partition of 5 servers into 2 + 3, with the leader on the small side:",
         ko = "서버 5대를 2대와 3대로 나누고, 리더는 작은 쪽에 둡니다:" }
lab.cluster{ zookeepers = 5, seed = 11 }
lab.run_until(serving, 30000)
lab.split({ "zk4", "zk5" }, { "zk1", "zk2", "zk3" })
lab.run_until(function() local e = lab.ensemble() return e.serving and e.leader ~= "zk5" end, 60000)
lab.run(12000)
for _, s in ipairs(lab.ensemble().servers) do
  lab.say(("  %s %-9s epoch %d %s"):format(s.name, s.state, s.epoch, s.serving and "serving" or "not serving"))
end
lab.check(lab.ensemble().leader == "zk3", { en = "the majority elected zk3", ko = "과반 쪽이 zk3를 선출했다" })
lab.heal()
lab.run_until(function() return lab.ensemble().servers[5].state == "FOLLOWING" end, 60000)
lab.say{ en = "Healed: zk5, the old leader, now follows zk3.",
         ko = "복구 후: 옛 리더 zk5는 이제 zk3를 따릅니다." }
