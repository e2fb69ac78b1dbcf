build2/obj/tests/unit/test_ztree.o: tests/unit/test_ztree.c lab/sim/rng.h \
 lab/sim/util.h lab/zk/ztree.h lab/sim/wire.h
lab/sim/rng.h:
lab/sim/util.h:
lab/zk/ztree.h:
lab/sim/wire.h:
