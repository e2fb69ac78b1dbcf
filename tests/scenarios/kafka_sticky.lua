-- Keyless records: the sticky partitioner (KIP-480, StickyPartitionCache)
-- and the record accumulator (RecordAccumulator, Sender). A producer
-- sticks to one partition until a new batch is made for it, then picks
-- another at random among partitions with a leader, never the one just
-- used. Batches live per partition (batch.size); the sender drains them
-- per broker: one Produce request per leader, carrying one batch of each
-- of its partitions.
lab.cluster{ brokers = 3, zookeepers = 3, seed = 42 }
lab.wait_brokers()
lab.check(lab.create_topic{ name = "s", partitions = 6, replication_factor = 2 }, "6 partitions")

local function only(t)      -- the one key of t, and how many keys t has
  local k, n = nil, 0
  for key in pairs(t) do k, n = key, n + 1 end
  return k, n
end

local p = lab.producer{ acks = "all" }
local r = p:send_many("s", 100)
local part, n = only(r.partitions)
lab.check(r.acked == 100 and n == 1, "100 small records fill one batch: all on partition " .. tostring(part))
local st = p:stats()
lab.check(st.batches == 1 and st.produce_requests == 1, ("one batch, one Produce request (%d, %d)"):format(st.batches, st.produce_requests))

-- each send finds its partition's batch gone (drained): a new batch, so
-- the sticky partition moves, never to the one just used
local prev, seen, nseen, same = part, { [part] = true }, 1, 0
for i = 1, 20 do
  local q = only(p:send_many("s", 10).partitions)
  if q == prev then same = same + 1 end
  if not seen[q] then seen[q], nseen = true, nseen + 1 end
  prev = q
end
lab.check(same == 0, "20 sends in a row: never the partition just used")
lab.check(nseen >= 4, "the choice is random: " .. nseen .. " of 6 partitions used")

-- batch.size 100 bytes: 61 bytes of batch header, then records of 10
-- bytes (values "v11" to "v70": 3 bytes) fit 3 to a batch, so 60 records
-- make 20 batches; a request carries one batch of each partition its
-- broker leads
local b = lab.producer{ acks = "all", batch_size = 100 }
b:send_many("s", 10)        -- values v1 .. v10
local s0 = b:stats()
r = b:send_many("s", 60)
local s1 = b:stats()
local made = s1.batches - s0.batches
lab.check(r.acked == 60 and made == 20, "60 records in batches of 3: " .. made .. " batches")
local per_broker = {}
for q, cnt in pairs(r.partitions) do
  local leader = lab.partition("s", q).leader
  local nb = (cnt + 2) // 3
  per_broker[leader] = math.max(per_broker[leader] or 0, nb)
end
local want = 0
for _, nb in pairs(per_broker) do want = want + nb end
local sent = s1.produce_requests - s0.produce_requests
lab.check(sent == want and sent < made,
          ("%d requests for %d batches: per broker, as many as its busiest partition's batches (%d)"):format(sent, made, want))
