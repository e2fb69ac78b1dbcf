build2/obj/lab/kafka/kafka_proto.o: lab/kafka/kafka_proto.c \
 lab/kafka/kafka_proto.h lab/sim/sim.h lab/sim/evq.h lab/sim/net.h \
 lab/sim/rng.h lab/sim/trace.h lab/sim/wire.h lab/sim/util.h
lab/kafka/kafka_proto.h:
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/sim/wire.h:
lab/sim/util.h:
