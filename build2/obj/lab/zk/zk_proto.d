build2/obj/lab/zk/zk_proto.o: lab/zk/zk_proto.c lab/zk/zk_proto.h \
 lab/sim/sim.h lab/sim/evq.h lab/sim/net.h lab/sim/rng.h lab/sim/trace.h \
 lab/sim/wire.h lab/zk/ztree.h lab/sim/util.h
lab/zk/zk_proto.h:
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/sim/wire.h:
lab/zk/ztree.h:
lab/sim/util.h:
