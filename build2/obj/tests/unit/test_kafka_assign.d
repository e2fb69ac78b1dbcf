build2/obj/tests/unit/test_kafka_assign.o: tests/unit/test_kafka_assign.c \
 lab/kafka/kafka_assign.h
lab/kafka/kafka_assign.h:
