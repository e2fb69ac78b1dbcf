/* words: the dashboard's own words in the learner's language. Code writes
 * English; viz_tr returns the Korean text for it when lang is "ko" and
 * the table has it, else the English itself. Formats keep their
 * conversions in the same order in both languages. */
#ifndef QL_VIZ_WORDS_H
#define QL_VIZ_WORDS_H

/* Never NULL; lang NULL means English. */
const char *viz_tr(const char *lang, const char *en);

#endif
