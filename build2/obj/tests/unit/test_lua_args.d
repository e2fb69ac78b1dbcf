build2/obj/tests/unit/test_lua_args.o: tests/unit/test_lua_args.c \
 /usr/include/lua5.4/lualib.h /usr/include/lua5.4/lua.h \
 /usr/include/lua5.4/luaconf.h lab/lua/lua_args.h \
 /usr/include/lua5.4/lua.h /usr/include/lua5.4/lauxlib.h lab/sim/util.h
/usr/include/lua5.4/lualib.h:
/usr/include/lua5.4/lua.h:
/usr/include/lua5.4/luaconf.h:
lab/lua/lua_args.h:
/usr/include/lua5.4/lua.h:
/usr/include/lua5.4/lauxlib.h:
lab/sim/util.h:
