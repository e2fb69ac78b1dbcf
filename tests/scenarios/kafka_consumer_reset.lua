-- A consumer without an explicit offset starts where auto.offset.reset
-- says (Fetcher.resetOffsetsIfNeeded, a ListOffsets request): "latest"
-- by default, the high watermark, so it sees only records written after
-- it started; "earliest", the log start. Each read then moves its
-- position past what it returned.
lab.cluster{ brokers = 3, zookeepers = 3, seed = 46 }
lab.wait_brokers()
lab.check(lab.create_topic{ name = "r", partitions = 1, replication_factor = 3 }, "topic r")
local p = lab.producer{ acks = "all" }
lab.check(p:send_many("r", 10).acked == 10, "10 records written before any consumer")

local late = lab.consumer{}
local recs = late:read("r", 0)
lab.check(recs and #recs == 0, "a new consumer (latest) reads nothing of the past: " .. (recs and #recs or -1))
lab.check(p:send_many("r", 5).acked == 5, "5 more written")
recs = late:read("r", 0)
lab.check(recs and #recs == 5 and recs[1].offset == 10, "it reads those 5, from offset 10")
recs = late:read("r", 0)
lab.check(recs and #recs == 0, "and then nothing: its position moved to 15")

local early = lab.consumer{ auto_offset_reset = "earliest" }
recs = early:read("r", 0, nil, 12)
lab.check(recs and #recs == 12 and recs[1].offset == 0, "auto_offset_reset = earliest starts at offset 0")
recs = early:read("r", 0)
lab.check(recs and #recs == 3 and recs[1].offset == 12, "then goes on from 12")
recs = late:read("r", 0, 3, 2)
lab.check(recs and #recs == 2 and recs[1].offset == 3, "an explicit offset reads from there")

local ok, err = pcall(lab.consumer, { auto_offset_reset = "none" })
lab.check(not ok, "\"latest\" or \"earliest\" only: " .. tostring(err))
