build2/obj/viz/speed.o: viz/speed.c viz/app.h viz/viz.h
viz/app.h:
viz/viz.h:
