build2/obj/lab/kafka/kafka_log.o: lab/kafka/kafka_log.c \
 lab/kafka/kafka_log.h lab/sim/util.h
lab/kafka/kafka_log.h:
lab/sim/util.h:
