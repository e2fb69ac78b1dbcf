build2/obj/lab/sim/sim.o: lab/sim/sim.c lab/sim/sim.h lab/sim/evq.h \
 lab/sim/net.h lab/sim/rng.h lab/sim/trace.h lab/sim/util.h
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/sim/util.h:
