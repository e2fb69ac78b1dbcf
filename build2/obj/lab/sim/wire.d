build2/obj/lab/sim/wire.o: lab/sim/wire.c lab/sim/wire.h lab/sim/util.h
lab/sim/wire.h:
lab/sim/util.h:
