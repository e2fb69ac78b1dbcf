build2/obj/viz/hist.o: viz/hist.c viz/hist.h lab/sim/trace.h viz/snap.h \
 lab/world/cluster.h lab/sim/sim.h lab/sim/evq.h lab/sim/net.h \
 lab/sim/rng.h lab/sim/trace.h lab/zk/zk_server.h lab/zk/ztree.h \
 lab/sim/wire.h lab/kafka/kafka_proto.h lab/zk/zk_client.h viz/events.h \
 viz/theme.h viz/view.h viz/msgs.h lab/lua/lua_lab.h
viz/hist.h:
lab/sim/trace.h:
viz/snap.h:
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
viz/events.h:
viz/theme.h:
viz/view.h:
viz/msgs.h:
lab/lua/lua_lab.h:
