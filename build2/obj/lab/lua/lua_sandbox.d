build2/obj/lab/lua/lua_sandbox.o: lab/lua/lua_sandbox.c lab/lua/lua_int.h \
 /usr/include/lua5.4/lua.h /usr/include/lua5.4/luaconf.h \
 /usr/include/lua5.4/lauxlib.h /usr/include/lua5.4/lua.h \
 lab/lua/lua_lab.h lab/sim/trace.h lab/world/cluster.h lab/sim/sim.h \
 lab/sim/evq.h lab/sim/net.h lab/sim/rng.h lab/sim/trace.h \
 lab/zk/zk_server.h lab/zk/ztree.h lab/sim/wire.h lab/kafka/kafka_proto.h \
 lab/zk/zk_client.h lab/lua/lua_args.h lab/sim/rng.h lab/sim/util.h \
 /usr/include/lua5.4/lualib.h
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
lab/sim/util.h:
/usr/include/lua5.4/lualib.h:
