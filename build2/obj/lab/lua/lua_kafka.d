build2/obj/lab/lua/lua_kafka.o: lab/lua/lua_kafka.c lab/lua/lua_int.h \
 /usr/include/lua5.4/lua.h /usr/include/lua5.4/luaconf.h \
 /usr/include/lua5.4/lauxlib.h /usr/include/lua5.4/lua.h \
 lab/lua/lua_lab.h lab/sim/trace.h lab/world/cluster.h lab/sim/sim.h \
 lab/sim/evq.h lab/sim/net.h lab/sim/rng.h lab/sim/trace.h \
 lab/zk/zk_server.h lab/zk/ztree.h lab/sim/wire.h lab/kafka/kafka_proto.h \
 lab/zk/zk_client.h lab/lua/lua_args.h lab/sim/rng.h \
 lab/world/kafka_world.h lab/kafka/kafka_broker.h lab/kafka/kafka_proto.h \
 lab/kafka/kafka_log.h lab/kafka/kafka_hooks.h lab/world/kafka_check.h \
 lab/kafka/kafka_log.h lab/kafka/kafka_hooks.h lab/kafka/kafka_client.h \
 lab/sim/util.h
lab/lua/lua_int.h:
/usr/include/lua5.4/lua.h:
/usr/include/lua5.4/luaconf.h:
/usr/include/lua5.4/lauxlib.h:
/usr/include/lua5.4/lua.h:
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
lab/lua/lua_args.h:
lab/sim/rng.h:
lab/world/kafka_world.h:
lab/kafka/kafka_broker.h:
lab/kafka/kafka_proto.h:
lab/kafka/kafka_log.h:
lab/kafka/kafka_hooks.h:
lab/world/kafka_check.h:
lab/kafka/kafka_log.h:
lab/kafka/kafka_hooks.h:
lab/kafka/kafka_client.h:
lab/sim/util.h:
