build2/obj/tests/unit/test_wire.o: tests/unit/test_wire.c lab/sim/wire.h
lab/sim/wire.h:
