build2/obj/lab/kafka/kafka_client.o: lab/kafka/kafka_client.c \
 lab/kafka/kafka_client_int.h lab/kafka/kafka_client.h lab/sim/sim.h \
 lab/sim/evq.h lab/sim/net.h lab/sim/rng.h lab/sim/trace.h \
 lab/kafka/kafka_proto.h lab/sim/wire.h lab/kafka/kafka_hooks.h \
 lab/kafka/kafka_log.h lab/kafka/kafka_accum.h lab/sim/rng.h \
 lab/sim/util.h
lab/kafka/kafka_client_int.h:
lab/kafka/kafka_client.h:
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/kafka/kafka_proto.h:
lab/sim/wire.h:
lab/kafka/kafka_hooks.h:
lab/kafka/kafka_log.h:
lab/kafka/kafka_accum.h:
lab/sim/rng.h:
lab/sim/util.h:
