-- linger.ms: a batch that is not full waits that long after it was made
-- before it is sendable (RecordAccumulator.ready: sendable when full or
-- waited >= lingerMs); a full batch goes at once. Default 0.
lab.cluster{ brokers = 3, zookeepers = 3, seed = 48 }
lab.wait_brokers()
lab.check(lab.create_topic{ name = "l", partitions = 1, replication_factor = 1 }, "topic l")
local function ack_ms(p, n)
  p:send_many("l", 1)       -- metadata known, values of equal length next
  local t0 = lab.now()
  local r = p:send_many("l", n)
  return lab.now() - t0, r
end
local now_ms = ack_ms(lab.producer{}, 1)
local late_ms = ack_ms(lab.producer{ linger_ms = 500 }, 1)
lab.check(now_ms < 50, "linger.ms 0: one record is acknowledged in " .. now_ms .. " ms")
lab.check(late_ms >= 500 and late_ms < 550, "linger.ms 500: it waits for more records first: " .. late_ms .. " ms")
-- 61 bytes of header and 4 records of 9 bytes ("v2" to "v5") fill 97
local full_ms, r = ack_ms(lab.producer{ linger_ms = 500, batch_size = 97 }, 4)
lab.check(r.acked == 4 and full_ms < 50, "a full batch does not linger: " .. full_ms .. " ms")
