build2/obj/lab/sim/trace.o: lab/sim/trace.c lab/sim/trace.h \
 lab/sim/util.h
lab/sim/trace.h:
lab/sim/util.h:
