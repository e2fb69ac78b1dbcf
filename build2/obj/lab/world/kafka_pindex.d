build2/obj/lab/world/kafka_pindex.o: lab/world/kafka_pindex.c \
 lab/world/kafka_pindex.h lab/kafka/kafka_proto.h lab/sim/sim.h \
 lab/sim/evq.h lab/sim/net.h lab/sim/rng.h lab/sim/trace.h lab/sim/wire.h \
 lab/zk/ztree.h lab/sim/util.h
lab/world/kafka_pindex.h:
lab/kafka/kafka_proto.h:
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/sim/wire.h:
lab/zk/ztree.h:
lab/sim/util.h:
