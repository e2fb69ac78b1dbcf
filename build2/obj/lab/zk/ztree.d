build2/obj/lab/zk/ztree.o: lab/zk/ztree.c lab/zk/ztree_node.h \
 lab/zk/ztree.h lab/sim/wire.h lab/sim/util.h
lab/zk/ztree_node.h:
lab/zk/ztree.h:
lab/sim/wire.h:
lab/sim/util.h:
