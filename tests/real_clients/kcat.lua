-- kcat (librdkafka 2.0) against the lab's brokers (kcat in
-- tests/suites/real_clients.sh): kcat -L lists the brokers, topics,
-- leaders and ISRs of the brokers' metadata caches (MetadataCache, filled
-- by the controller's UpdateMetadata), which the lines printed here from
-- lab.partition must match; kcat -P's 1,000 records land in the leader's
-- log and the ledger; kcat -C -e reads them back.
lab.cluster{ zookeepers = 3, brokers = 3 }
lab.create_topic{ name = "t", partitions = 2, replication_factor = 3,
                  config = { ["min.insync.replicas"] = 2 } }
for p = 0, 1 do
    local s = lab.partition("t", p)
    print(string.format("lab: partition %d, leader %d, replicas: %s, isrs: %s", p, s.leader,
                        table.concat(s.replicas, ","), table.concat(s.isr, ",")))
end
local done = lab.run_until(function() return lab.audit().acked >= 1000 end, 60000)
lab.check(done, "kcat -P's 1,000 records were acknowledged (the ledger has them)")
lab.check((lab.partition("t", 0).hw or 0) == 1000, "t-0's high watermark is 1,000")
lab.run(10000)                                  -- kcat -C reads them now
local a = lab.audit()
lab.check(a.lost == 0 and a.pending == 0, "the audit finds them all committed")
