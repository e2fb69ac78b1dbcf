build2/obj/tests/unit/test_kafka_elect.o: tests/unit/test_kafka_elect.c \
 lab/kafka/kafka_elect.h
lab/kafka/kafka_elect.h:
