build2/obj/lab/world/zk_check.o: lab/world/zk_check.c \
 lab/world/zk_check.h lab/sim/sim.h lab/sim/evq.h lab/sim/net.h \
 lab/sim/rng.h lab/sim/trace.h lab/sim/util.h
lab/world/zk_check.h:
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/sim/util.h:
