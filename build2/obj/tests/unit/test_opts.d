build2/obj/tests/unit/test_opts.o: tests/unit/test_opts.c app/opts.h
app/opts.h:
