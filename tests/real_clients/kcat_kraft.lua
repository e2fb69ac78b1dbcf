-- kcat (librdkafka 2.0) against a KRaft world's brokers (kcat_kraft in
-- tests/suites/real_clients.sh), as tests/real_clients/kcat.lua does in
-- ZooKeeper mode. A KRaft broker fills its metadata cache from the
-- __cluster_metadata log it fetches (KRaftMetadataCache, no UpdateMetadata):
-- kcat -L must list the unfenced brokers and each partition's leader,
-- replicas and ISR as lab.partition prints them here, and name as the
-- controller a random alive broker (KRaftMetadataCache.getRandomAliveBrokerId:
-- the active controller is not a broker a client could reach). kcat -P's
-- 1,000 records land in the leader's log and the ledger; kcat -C -e reads
-- them back. The lab's listening line says the world has no ZooKeeper.
-- First the controllers are paused for 6 s: no broker can register, and a
-- KRaft broker opens its listeners only once unfenced (BrokerServer.startup
-- waits for lifecycleManager.setReadyToUnfence() before
-- socketServer.enableRequestProcessing, Kafka 3.5 on), so the suite finds
-- every broker's port refusing connections meanwhile.
lab.cluster{ mode = "kraft", controllers = 3, brokers = 3 }
for i = 1, 3 do lab.pause("ctl" .. i, 6000) end
lab.run(5000)
lab.check(#lab.brokers() == 3 and lab.quorum().leader == nil,
          "at 5 s the controllers are still paused: no broker registered")
lab.wait_brokers()
lab.create_topic{ name = "t", partitions = 2, replication_factor = 3,
                  config = { ["min.insync.replicas"] = 2 } }
lab.run(2000)
for p = 0, 1 do
    local s = lab.partition("t", p)
    print(string.format("lab: partition %d, leader %d, replicas: %s, isrs: %s", p, s.leader,
                        table.concat(s.replicas, ","), table.concat(s.isr, ",")))
end
local done = lab.run_until(function() return lab.audit().acked >= 1000 end, 60000)
lab.check(done, "kcat -P's 1,000 records were acknowledged (the ledger has them)")
lab.check((lab.partition("t", 0).hw or 0) == 1000, "t-0's high watermark is 1,000")
lab.run(6000)                                   -- kcat -C reads them now
local a = lab.audit()
lab.check(a.lost == 0 and a.pending == 0, "the audit finds them all committed")
