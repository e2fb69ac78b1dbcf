build2/obj/app/opts.o: app/opts.c app/opts.h
app/opts.h:
