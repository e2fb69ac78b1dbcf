build2/obj/tests/unit/test_kafka_accum.o: tests/unit/test_kafka_accum.c \
 lab/kafka/kafka_accum.h lab/sim/rng.h
lab/kafka/kafka_accum.h:
lab/sim/rng.h:
