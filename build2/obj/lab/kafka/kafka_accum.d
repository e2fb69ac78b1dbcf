build2/obj/lab/kafka/kafka_accum.o: lab/kafka/kafka_accum.c \
 lab/kafka/kafka_accum.h lab/sim/rng.h lab/sim/util.h
lab/kafka/kafka_accum.h:
lab/sim/rng.h:
lab/sim/util.h:
