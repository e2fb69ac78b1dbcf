build2/obj/viz/frame.o: viz/frame.c viz/frame.h viz/theme.h viz/text.h \
 lab/sim/util.h
viz/frame.h:
viz/theme.h:
viz/text.h:
lab/sim/util.h:
