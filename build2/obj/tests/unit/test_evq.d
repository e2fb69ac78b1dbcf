build2/obj/tests/unit/test_evq.o: tests/unit/test_evq.c lab/sim/evq.h \
 lab/sim/rng.h
lab/sim/evq.h:
lab/sim/rng.h:
