build2/obj/lab/world/kafka_check.o: lab/world/kafka_check.c \
 lab/world/kafka_check.h lab/sim/sim.h lab/sim/evq.h lab/sim/net.h \
 lab/sim/rng.h lab/sim/trace.h lab/kafka/kafka_log.h \
 lab/kafka/kafka_hooks.h lab/kafka/kafka_log.h lab/kafka/kafka_proto.h \
 lab/sim/wire.h lab/sim/util.h
lab/world/kafka_check.h:
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/kafka/kafka_log.h:
lab/kafka/kafka_hooks.h:
lab/kafka/kafka_log.h:
lab/kafka/kafka_proto.h:
lab/sim/wire.h:
lab/sim/util.h:
