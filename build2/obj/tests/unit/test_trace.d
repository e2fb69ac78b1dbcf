build2/obj/tests/unit/test_trace.o: tests/unit/test_trace.c \
 lab/sim/trace.h
lab/sim/trace.h:
