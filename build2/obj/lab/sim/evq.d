build2/obj/lab/sim/evq.o: lab/sim/evq.c lab/sim/evq.h lab/sim/util.h
lab/sim/evq.h:
lab/sim/util.h:
