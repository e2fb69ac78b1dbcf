build2/obj/tests/unit/test_zk_vote.o: tests/unit/test_zk_vote.c \
 lab/zk/zk_int.h lab/zk/zk_server.h lab/sim/sim.h lab/sim/evq.h \
 lab/sim/net.h lab/sim/rng.h lab/sim/trace.h lab/zk/ztree.h \
 lab/sim/wire.h lab/zk/zk_proto.h lab/world/zk_check.h \
 tests/unit/zk_testlib.h lab/zk/zk_server.h lab/zk/zk_client.h
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
lab/world/zk_check.h:
tests/unit/zk_testlib.h:
lab/zk/zk_server.h:
lab/zk/zk_client.h:
