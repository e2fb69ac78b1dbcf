build2/obj/lab/world/fuzz_work.o: lab/world/fuzz_work.c \
 lab/world/fuzz_int.h lab/world/fuzz.h lab/world/cluster.h lab/sim/sim.h \
 lab/sim/evq.h lab/sim/net.h lab/sim/rng.h lab/sim/trace.h \
 lab/zk/zk_server.h lab/zk/ztree.h lab/sim/wire.h lab/kafka/kafka_proto.h \
 lab/zk/zk_client.h lab/world/kafka_world.h lab/kafka/kafka_broker.h \
 lab/kafka/kafka_proto.h lab/kafka/kafka_log.h lab/kafka/kafka_hooks.h \
 lab/world/kafka_check.h lab/kafka/kafka_log.h lab/kafka/kafka_hooks.h \
 lab/kafka/kafka_client.h lab/sim/rng.h lab/sim/util.h
lab/world/fuzz_int.h:
lab/world/fuzz.h:
lab/world/cluster.h:
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/zk/zk_server.h:
lab/zk/ztree.h:
lab/sim/wire.h:
lab/kafka/kafka_proto.h:
lab/zk/zk_client.h:
lab/world/kafka_world.h:
lab/kafka/kafka_broker.h:
lab/kafka/kafka_proto.h:
lab/kafka/kafka_log.h:
lab/kafka/kafka_hooks.h:
lab/world/kafka_check.h:
lab/kafka/kafka_log.h:
lab/kafka/kafka_hooks.h:
lab/kafka/kafka_client.h:
lab/sim/rng.h:
lab/sim/util.h:
