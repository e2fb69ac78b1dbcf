build2/obj/lab/zk/zk_zab.o: lab/zk/zk_zab.c lab/zk/zk_int.h \
 lab/zk/zk_server.h lab/sim/sim.h lab/sim/evq.h lab/sim/net.h \
 lab/sim/rng.h lab/sim/trace.h lab/zk/ztree.h lab/sim/wire.h \
 lab/zk/zk_proto.h lab/sim/util.h
lab/zk/zk_int.h:
lab/zk/zk_server.h:
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/zk/ztree.h:
lab/sim/wire.h:
lab/zk/zk_proto.h:
lab/sim/util.h:
