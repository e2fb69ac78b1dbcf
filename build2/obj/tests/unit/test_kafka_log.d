build2/obj/tests/unit/test_kafka_log.o: tests/unit/test_kafka_log.c \
 lab/kafka/kafka_log.h
lab/kafka/kafka_log.h:
