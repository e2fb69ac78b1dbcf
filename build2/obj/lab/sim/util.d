build2/obj/lab/sim/util.o: lab/sim/util.c lab/sim/util.h
lab/sim/util.h:
