/* words: the dashboard's own words in the learner's language. Code writes
 * English; viz_tr returns the Korean text for it when lang is "ko" and
 * the table has it, else the English itself. Formats keep their
 * conversions in the same order in both languages. */
#ifndef QL_VIZ_WORDS_H
#define QL_VIZ_WORDS_H

#include <stddef.h>

/* Never NULL; lang NULL means English. */
const char *viz_tr(const char *lang, const char *en);

/* Seconds with one decimal as the language writes them, "30.0 s" or
 * "30.0초", into out (cap bytes); returns out. */
const char *viz_secs(const char *lang, double s, char *out, size_t cap);

#endif
