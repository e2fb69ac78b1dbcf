-- expect 4: lab.consumer: unknown field 'acks'
-- a consumer has no acks: a producer's setting on a consumer is refused too
lab.cluster{ zookeepers = 1, brokers = 3 }
local c = lab.consumer{ bootstrap = { 101 }, acks = 1 }
