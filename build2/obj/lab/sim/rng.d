build2/obj/lab/sim/rng.o: lab/sim/rng.c lab/sim/rng.h lab/sim/util.h
lab/sim/rng.h:
lab/sim/util.h:
