-- lab.message_log reads the messages as the message view shows them: a
-- write's PROPOSAL, ACK and COMMIT with the zxid they carry, each paired
-- with its delivery (a 60 ms link delivers 60 ms after the send), a
-- message to a cut follower marked dropped, brokers named by number.

lab.cluster{ zookeepers = 3, brokers = 1, seed = 5 }
lab.check(lab.run_until(function() return lab.ensemble().serving end, 30000), "the ensemble serves")
lab.wait_brokers(1)
local leader = lab.ensemble().leader
local fs = {}
for _, s in ipairs(lab.ensemble().servers) do
  if s.name ~= leader then fs[#fs + 1] = s.name end
end
local near, far = fs[1], fs[2]
lab.link{ from = leader, to = far, delay_ms = 60, both = true }
local c = lab.zk_session{ connect = { leader }, timeout_ms = 6000 }
lab.run_until(function() return c:state() == "CONNECTED" end, 10000)

local t = lab.now()
c:create("/x", "1")
lab.run(200)
local zxid = lab.ensemble().servers[1].zxid
local log = lab.message_log(t)
local function find(from, to, type)
  for _, m in ipairs(log) do
    if m.from == from and m.to == to and m.type == type then return m end
  end
end
local p = find(leader, far, "PROPOSAL")
lab.check(p and p.detail == zxid, ("PROPOSAL %s -> %s carries the write's zxid 0x%x"):format(leader, far, zxid))
lab.check(p and p.delivered_ms and math.abs(p.delivered_ms - p.at_ms - 60) < 0.001 and p.delivered_seq > p.seq,
          "it arrives 60 ms after it was sent, its delivery later in the run")
local ack, commit = find(far, leader, "ACK"), find(leader, near, "COMMIT")
lab.check(ack and commit and commit.at_ms < ack.delivered_ms,
          "the leader's COMMIT leaves before the far follower's ACK arrives")
local sorted = true
for i = 2, #log do if log[i].seq <= log[i - 1].seq or log[i].at_ms < t then sorted = false end end
lab.check(#log > 0 and sorted, "oldest first, none sent before since_ms")

lab.isolate(far)
t = lab.now()
c:create("/y", "1")
lab.run(200)
log = lab.message_log(t)
local lost = find(leader, far, "PROPOSAL")
lab.check(lost and lost.dropped and lost.delivered_ms == nil, "a PROPOSAL to an isolated follower is dropped")
lab.heal()

-- brokers are numbers, as the rest of lab names them
lab.run(7000)
local numbered = false
for _, m in ipairs(lab.message_log(lab.now() - 7000)) do
  if m.from == 101 or m.to == 101 then numbered = true end
end
lab.check(numbered, "broker 101 appears as the number 101")
lab.check(#lab.message_log(lab.now() + 1000) == 0, "nothing sent after now")
