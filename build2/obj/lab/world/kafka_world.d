build2/obj/lab/world/kafka_world.o: lab/world/kafka_world.c \
 lab/world/kafka_world.h lab/kafka/kafka_broker.h lab/sim/sim.h \
 lab/sim/evq.h lab/sim/net.h lab/sim/rng.h lab/sim/trace.h \
 lab/kafka/kafka_proto.h lab/sim/wire.h lab/kafka/kafka_log.h \
 lab/kafka/kafka_hooks.h lab/world/kafka_check.h lab/kafka/kafka_log.h \
 lab/kafka/kafka_hooks.h lab/kafka/kafka_client.h \
 lab/world/kafka_pindex.h lab/kafka/kafka_proto.h lab/zk/ztree.h \
 lab/zk/zk_server.h lab/zk/ztree.h lab/sim/util.h
lab/world/kafka_world.h:
lab/kafka/kafka_broker.h:
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/kafka/kafka_proto.h:
lab/sim/wire.h:
lab/kafka/kafka_log.h:
lab/kafka/kafka_hooks.h:
lab/world/kafka_check.h:
lab/kafka/kafka_log.h:
lab/kafka/kafka_hooks.h:
lab/kafka/kafka_client.h:
lab/world/kafka_pindex.h:
lab/kafka/kafka_proto.h:
lab/zk/ztree.h:
lab/zk/zk_server.h:
lab/zk/ztree.h:
lab/sim/util.h:
