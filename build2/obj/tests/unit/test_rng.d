build2/obj/tests/unit/test_rng.o: tests/unit/test_rng.c lab/sim/rng.h
lab/sim/rng.h:
