build2/obj/viz/layout.o: viz/layout.c viz/layout.h viz/frame.h \
 viz/theme.h viz/snap.h lab/world/cluster.h lab/sim/sim.h lab/sim/evq.h \
 lab/sim/net.h lab/sim/rng.h lab/sim/trace.h lab/zk/zk_server.h \
 lab/zk/ztree.h lab/sim/wire.h lab/kafka/kafka_proto.h lab/zk/zk_client.h \
 viz/events.h lab/sim/trace.h viz/view.h viz/msgs.h lab/lua/lua_lab.h \
 viz/text.h viz/words.h
viz/layout.h:
viz/frame.h:
viz/theme.h:
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
lab/sim/trace.h:
viz/view.h:
viz/msgs.h:
lab/lua/lua_lab.h:
viz/text.h:
viz/words.h:
