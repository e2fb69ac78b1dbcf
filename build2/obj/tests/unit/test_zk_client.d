build2/obj/tests/unit/test_zk_client.o: tests/unit/test_zk_client.c \
 tests/unit/zk_testlib.h lab/sim/sim.h lab/sim/evq.h lab/sim/net.h \
 lab/sim/rng.h lab/sim/trace.h lab/zk/zk_server.h lab/zk/ztree.h \
 lab/sim/wire.h lab/zk/zk_client.h lab/world/zk_check.h lab/zk/zk_proto.h
tests/unit/zk_testlib.h:
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/zk/zk_server.h:
lab/zk/ztree.h:
lab/sim/wire.h:
lab/zk/zk_client.h:
lab/world/zk_check.h:
lab/zk/zk_proto.h:
