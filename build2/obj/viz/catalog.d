build2/obj/viz/catalog.o: viz/catalog.c viz/viz.h
viz/viz.h:
