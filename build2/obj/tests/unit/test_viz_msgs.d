build2/obj/tests/unit/test_viz_msgs.o: tests/unit/test_viz_msgs.c \
 lab/kafka/kafka_proto.h lab/sim/sim.h lab/sim/evq.h lab/sim/net.h \
 lab/sim/rng.h lab/sim/trace.h lab/sim/wire.h viz/keys.h viz/cmd.h \
 lab/world/cluster.h lab/zk/zk_server.h lab/zk/ztree.h lab/zk/zk_client.h \
 viz/view.h viz/msgs.h lab/lua/lua_lab.h lab/sim/trace.h viz/theme.h \
 viz/snap.h viz/events.h viz/layout.h viz/frame.h viz/msgs.h \
 lab/zk/zk_proto.h
lab/kafka/kafka_proto.h:
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/sim/wire.h:
viz/keys.h:
viz/cmd.h:
lab/world/cluster.h:
lab/zk/zk_server.h:
lab/zk/ztree.h:
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
viz/msgs.h:
lab/zk/zk_proto.h:
