build2/obj/viz/msgs.o: viz/msgs.c viz/msgs.h lab/lua/lua_lab.h \
 lab/sim/trace.h lab/world/cluster.h lab/sim/sim.h lab/sim/evq.h \
 lab/sim/net.h lab/sim/rng.h lab/sim/trace.h lab/zk/zk_server.h \
 lab/zk/ztree.h lab/sim/wire.h lab/kafka/kafka_proto.h lab/zk/zk_client.h \
 lab/sim/util.h lab/zk/zk_proto.h
viz/msgs.h:
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
lab/sim/util.h:
lab/zk/zk_proto.h:
