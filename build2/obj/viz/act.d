build2/obj/viz/act.o: viz/act.c viz/cmd.h lab/world/cluster.h \
 lab/sim/sim.h lab/sim/evq.h lab/sim/net.h lab/sim/rng.h lab/sim/trace.h \
 lab/zk/zk_server.h lab/zk/ztree.h lab/sim/wire.h lab/kafka/kafka_proto.h \
 lab/zk/zk_client.h viz/view.h viz/msgs.h lab/lua/lua_lab.h \
 lab/sim/trace.h viz/theme.h viz/words.h
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
viz/words.h:
