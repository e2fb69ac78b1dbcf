build2/obj/lab/kafka/kafka_replica.o: lab/kafka/kafka_replica.c \
 lab/kafka/kafka_int.h lab/kafka/kafka_meta.h lab/kafka/kafka_proto.h \
 lab/sim/sim.h lab/sim/evq.h lab/sim/net.h lab/sim/rng.h lab/sim/trace.h \
 lab/sim/wire.h lab/kafka/kafka_broker.h lab/kafka/kafka_log.h \
 lab/kafka/kafka_hooks.h lab/zk/zk_client.h lab/zk/ztree.h \
 lab/kafka/kafka_elect.h lab/sim/util.h
lab/kafka/kafka_int.h:
lab/kafka/kafka_meta.h:
lab/kafka/kafka_proto.h:
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/sim/wire.h:
lab/kafka/kafka_broker.h:
lab/kafka/kafka_log.h:
lab/kafka/kafka_hooks.h:
lab/zk/zk_client.h:
lab/zk/ztree.h:
lab/kafka/kafka_elect.h:
lab/sim/util.h:
