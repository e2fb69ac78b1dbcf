-- A broker added while real clients can connect (kcat_add_broker in
-- tests/suites/real_clients.sh): it gets the next Kafka port, base + its
-- index, as the first ones did, and the brokers' Metadata answers name it
-- there, so kcat reaches it directly and -L lists it at that port (it
-- had none: refused, and listed at port 0).
lab.cluster{ zookeepers = 1, brokers = 2 }
lab.wait_brokers()
local id = lab.add_broker{}
lab.check(id == 103, "the added broker is 103 (got " .. tostring(id) .. ")")
local function registered()
    for _, b in ipairs(lab.brokers()) do if b.id == 103 then return b.registered end end
end
lab.check(lab.run_until(registered, 10000), "103 registered")
lab.create_topic{ name = "t", partitions = 3, replication_factor = 3 }
lab.run(10000)                                  -- kcat -L on 103's port now
