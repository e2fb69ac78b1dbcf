build2/obj/viz/words.o: viz/words.c viz/words.h
viz/words.h:
