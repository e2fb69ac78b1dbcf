build2/obj/lab/sim/net.o: lab/sim/net.c lab/sim/net.h lab/sim/rng.h \
 lab/sim/util.h
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/util.h:
