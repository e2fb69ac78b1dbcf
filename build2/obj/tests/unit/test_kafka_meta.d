build2/obj/tests/unit/test_kafka_meta.o: tests/unit/test_kafka_meta.c \
 lab/kafka/kafka_meta.h lab/kafka/kafka_proto.h lab/sim/sim.h \
 lab/sim/evq.h lab/sim/net.h lab/sim/rng.h lab/sim/trace.h lab/sim/wire.h
lab/kafka/kafka_meta.h:
lab/kafka/kafka_proto.h:
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/sim/wire.h:
