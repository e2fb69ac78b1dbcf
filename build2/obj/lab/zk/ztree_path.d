build2/obj/lab/zk/ztree_path.o: lab/zk/ztree_path.c lab/zk/ztree_node.h \
 lab/zk/ztree.h lab/sim/wire.h
lab/zk/ztree_node.h:
lab/zk/ztree.h:
lab/sim/wire.h:
