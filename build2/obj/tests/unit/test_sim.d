build2/obj/tests/unit/test_sim.o: tests/unit/test_sim.c lab/sim/sim.h \
 lab/sim/evq.h lab/sim/net.h lab/sim/rng.h lab/sim/trace.h lab/sim/wire.h
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/sim/wire.h:
