build2/obj/lab/kafka/kafka_assign.o: lab/kafka/kafka_assign.c \
 lab/kafka/kafka_assign.h lab/sim/util.h
lab/kafka/kafka_assign.h:
lab/sim/util.h:
