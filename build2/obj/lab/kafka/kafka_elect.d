build2/obj/lab/kafka/kafka_elect.o: lab/kafka/kafka_elect.c \
 lab/kafka/kafka_elect.h lab/sim/util.h
lab/kafka/kafka_elect.h:
lab/sim/util.h:
