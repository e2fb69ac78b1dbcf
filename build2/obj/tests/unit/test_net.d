build2/obj/tests/unit/test_net.o: tests/unit/test_net.c lab/sim/net.h \
 lab/sim/rng.h
lab/sim/net.h:
lab/sim/rng.h:
