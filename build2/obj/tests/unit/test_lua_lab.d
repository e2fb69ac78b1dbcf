build2/obj/tests/unit/test_lua_lab.o: tests/unit/test_lua_lab.c \
 lab/lua/lua_lab.h lab/sim/trace.h lab/world/cluster.h lab/sim/sim.h \
 lab/sim/evq.h lab/sim/net.h lab/sim/rng.h lab/sim/trace.h \
 lab/zk/zk_server.h lab/zk/ztree.h lab/sim/wire.h lab/kafka/kafka_proto.h \
 lab/zk/zk_client.h
lab/lua/lua_lab.h:
lab/sim/trace.h:
lab/world/cluster.h:
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/zk/zk_server.h:
lab/zk/ztree.h:
lab/sim/wire.h:
lab/kafka/kafka_proto.h:
lab/zk/zk_client.h:
