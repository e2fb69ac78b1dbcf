build2/obj/tests/unit/test_viz_text.o: tests/unit/test_viz_text.c \
 viz/frame.h viz/theme.h viz/text.h
viz/frame.h:
viz/theme.h:
viz/text.h:
