build2/obj/tests/unit/test_viz_errpanel.o: tests/unit/test_viz_errpanel.c \
 viz/keys.h viz/cmd.h lab/world/cluster.h lab/sim/sim.h lab/sim/evq.h \
 lab/sim/net.h lab/sim/rng.h lab/sim/trace.h lab/zk/zk_server.h \
 lab/zk/ztree.h lab/sim/wire.h lab/kafka/kafka_proto.h lab/zk/zk_client.h \
 viz/view.h viz/msgs.h lab/lua/lua_lab.h lab/sim/trace.h viz/theme.h \
 viz/snap.h viz/events.h viz/layout.h viz/frame.h viz/text.h
viz/keys.h:
viz/cmd.h:
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
viz/view.h:
viz/msgs.h:
lab/lua/lua_lab.h:
lab/sim/trace.h:
viz/theme.h:
viz/snap.h:
viz/events.h:
viz/layout.h:
viz/frame.h:
viz/text.h:
