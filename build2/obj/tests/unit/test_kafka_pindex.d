build2/obj/tests/unit/test_kafka_pindex.o: tests/unit/test_kafka_pindex.c \
 lab/world/kafka_pindex.h lab/kafka/kafka_proto.h lab/sim/sim.h \
 lab/sim/evq.h lab/sim/net.h lab/sim/rng.h lab/sim/trace.h lab/sim/wire.h \
 lab/zk/ztree.h
lab/world/kafka_pindex.h:
lab/kafka/kafka_proto.h:
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/sim/wire.h:
lab/zk/ztree.h:
