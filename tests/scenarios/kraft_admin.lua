-- KRaft mode (issue 12): admin requests go to any broker, which forwards
-- them to the active controller (KIP-590). ElectLeaders PREFERRED
-- (ReplicationControlManager.electLeaders, PartitionChangeBuilder's
-- PREFERRED election) moves leadership back to the first replica once it
-- is in the ISR and unfenced; DeleteTopics writes a RemoveTopicRecord and
-- every broker deletes its replicas when it applies it.
lab.cluster{ mode = "kraft", controllers = 3, brokers = 3, seed = 5 }
lab.wait_brokers()
lab.check(lab.create_topic{ name = "t", partitions = 3, replication_factor = 3 }, "created")
local ok, err = lab.elect_leaders("t")
lab.check(ok == nil and err == "ELECTION_NOT_NEEDED", "every partition led by its first replica: " .. tostring(err))
local st = lab.partition("t", 0)
local pref = st.replicas[1]
lab.kill(pref)
lab.run(12000)
lab.check(lab.partition("t", 0).leader ~= pref, "fenced: leadership moved off " .. pref)
ok, err = lab.elect_leaders("t")
lab.check(ok == nil and err == "PREFERRED_LEADER_NOT_AVAILABLE", "preferred replica fenced: " .. tostring(err))
lab.restart(pref)
lab.run(15000)                          -- unfenced, fetched, back in the ISR
local back = lab.partition("t", 0)
local in_isr = false
for _, id in ipairs(back.isr) do in_isr = in_isr or id == pref end
lab.check(in_isr and back.leader ~= pref, pref .. " back in the ISR, not leading yet")
lab.check(lab.elect_leaders("t"), "preferred election")
lab.run(1000)
lab.check(lab.partition("t", 0).leader == pref, "the first replica leads again: " .. tostring(lab.partition("t", 0).leader))
lab.check(lab.delete_topic("t"), "deleted")
lab.run(2000)
lab.check(lab.topic("t") == nil, "the topic is gone from the metadata")
local last = lab.metadata_log(1)[1]
lab.check(last.name == "RemoveTopicRecord", "the log's last record: " .. last.text)
local held = 0
for _, b in ipairs(lab.brokers()) do held = held + b.replicas end
lab.check(held == 0, "no broker holds a replica of it (" .. held .. ")")
ok, err = lab.delete_topic("t")
lab.check(ok == nil and err == "UNKNOWN_TOPIC_OR_PARTITION", "deleting it again: " .. tostring(err))
