build2/obj/lab/lua/lua_args.o: lab/lua/lua_args.c lab/lua/lua_args.h \
 /usr/include/lua5.4/lua.h /usr/include/lua5.4/luaconf.h \
 /usr/include/lua5.4/lauxlib.h /usr/include/lua5.4/lua.h lab/sim/util.h
lab/lua/lua_args.h:
/usr/include/lua5.4/lua.h:
/usr/include/lua5.4/luaconf.h:
/usr/include/lua5.4/lauxlib.h:
/usr/include/lua5.4/lua.h:
lab/sim/util.h:
