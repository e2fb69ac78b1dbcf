build2/obj/viz/text.o: viz/text.c viz/text.h
viz/text.h:
