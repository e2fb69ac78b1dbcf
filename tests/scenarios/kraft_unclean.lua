-- KRaft mode (issue 12): unclean leader election by the same rule as
-- ZooKeeper mode, as the QuorumController makes it: with the ISR down to
-- a crashed leader, the partition has no leader (-1) and its ISR keeps
-- that last member (PartitionChangeBuilder leaves an empty target ISR
-- alone); when an out-of-sync replica comes back and is unfenced
-- (ReplicationControlManager.handleBrokerUnfenced), a topic with
-- unclean.leader.election.enable=true (a ConfigRecord) elects it with ISR
-- = [it] and LeaderRecoveryState RECOVERING, losing acknowledged writes;
-- without it the partition stays offline.
local function run(unclean)
    lab.cluster{ mode = "kraft", controllers = 3, brokers = 3, seed = 2 }
    lab.wait_brokers()
    lab.create_topic{ name = "t", partitions = 1, replication_factor = 2,
                      config = { ["unclean.leader.election.enable"] = unclean } }
    local st = lab.partition("t", 0)
    local leader = st.leader
    local other = st.replicas[1] == leader and st.replicas[2] or st.replicas[1]
    lab.kill(other)                     -- fenced after 9 s: out of the ISR
    lab.run(12000)
    lab.check(#lab.partition("t", 0).isr == 1, "the ISR is down to the leader " .. leader)
    local p = lab.producer{ bootstrap = { leader }, acks = "1" }
    lab.check(p:send_many("t", 20).acked == 20, "20 writes acknowledged by the leader alone")
    lab.kill(leader)
    lab.run(12000)
    local off = lab.partition("t", 0)
    lab.check(off.leader == nil, "leader gone and fenced: the partition is offline")
    lab.check(#off.isr == 1 and off.isr[1] == leader, "its ISR keeps the last member " .. leader)
    lab.restart(other)
    lab.run(6000)
    return lab.partition("t", 0), other
end

local st, other = run(false)
lab.check(st.leader == nil, "unclean election off: still offline after " .. other .. " came back")

st, other = run(true)
lab.check(st.leader == other, "unclean election on: " .. other .. " leads from outside the ISR")
lab.check(#st.isr == 1 and st.isr[1] == other, "its ISR is itself alone")
local found = false
for _, r in ipairs(lab.metadata_log(8)) do
    found = found or (r.name == "PartitionChangeRecord" and
                      r.text:find("leader=" .. other) and r.text:find("leaderRecoveryState=1"))
end
lab.check(found, "a PartitionChangeRecord with leaderRecoveryState=1 (RECOVERING)")
local a = lab.audit()
lab.check(a.lost > 0, "acknowledged writes lost: " .. a.lost .. " of " .. a.acked)
