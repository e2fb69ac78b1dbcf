-- Size limits. The producer refuses a record whose serialized size is
-- over max.request.size (1048576) with RECORD_TOO_LARGE before it goes
-- anywhere (KafkaProducer.ensureValidRecordSize, the size as
-- AbstractRecords.estimateSizeInBytesUpperBound counts it: 61 bytes of
-- batch header, 21 of record overhead, the key and value with their
-- lengths). A broker answers a batch over message.max.bytes (1048588)
-- with MESSAGE_TOO_LARGE (Log.analyzeAndValidateRecords).
lab.cluster{ brokers = 3, zookeepers = 3, seed = 45 }
lab.wait_brokers()
lab.check(lab.create_topic{ name = "t", partitions = 1, replication_factor = 3 }, "topic t")
local p = lab.producer{ acks = "all" }

-- (the value is never copied: a 100 MiB one is refused the same way)
local huge = string.rep("z", 10 * 1024 * 1024)
local off, err, why = p:send("t", nil, huge)
huge = nil
lab.check(off == nil and err == "RECORD_TOO_LARGE", "a 10 MiB value is refused: " .. tostring(err))
lab.check(why == "The message is 10485848 bytes when serialized which is larger than 1048576, " ..
                 "which is the value of the max.request.size configuration.", "in Kafka's words: " .. tostring(why))
lab.check(lab.partition("t", 0).hw == 0, "nothing reached the broker")

-- 61 + 21 + 1 (no key) + 3 (length) + 1048489 + 1 (no headers) = 1048576
off, err = p:send("t", nil, string.rep("a", 1048489))
lab.check(off == 0, "a value of 1048489 bytes makes a record of exactly max.request.size: accepted " .. tostring(err))
off, err = p:send("t", nil, string.rep("a", 1048490))
lab.check(off == nil and err == "RECORD_TOO_LARGE", "one byte more is refused: " .. tostring(err))

-- a producer allowed larger requests meets the broker's limit instead
local big = lab.producer{ acks = "all", max_request_size = 2097152 }
off, err = big:send("t", nil, string.rep("b", 1500000))
lab.check(off == nil and err == "MESSAGE_TOO_LARGE", "a 1.5 MB batch over message.max.bytes: " .. tostring(err))
lab.check(lab.partition("t", 0).hw == 1, "the broker appended nothing of it")
