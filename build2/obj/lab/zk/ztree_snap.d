build2/obj/lab/zk/ztree_snap.o: lab/zk/ztree_snap.c lab/zk/ztree_node.h \
 lab/zk/ztree.h lab/sim/wire.h lab/sim/util.h
lab/zk/ztree_node.h:
lab/zk/ztree.h:
lab/sim/wire.h:
lab/sim/util.h:
