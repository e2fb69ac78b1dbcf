/* ko: Korean particles that agree with the word before them. A particle
 * such as 을/를 depends on whether the word's last syllable, as it is
 * read aloud, ends in a consonant (batchim): "102를" (백이), "zk1을" (일),
 * "pay-0은" (영), "orders는" (에스). Texts are written with a marker, e.g.
 * "broker %d을(를)", and ko_resolve picks the right form from the
 * character before it. */
#ifndef QL_KO_H
#define QL_KO_H

#include <stddef.h>

/* The form of particle (any of 이/가, 을/를, 은/는, 와/과, 으로/로, 이다/다
 * given as either form) that agrees with word; particle itself when it
 * is none of these. */
const char *ko_particle(const char *word, const char *particle);

/* Copies in to out (cap bytes, always terminated), replacing every marker
 * 이(가), 가(이), 을(를), 를(을), 은(는), 는(은), 와(과), 과(와), (으)로,
 * (이)라는 by the form agreeing with the character before it; a space
 * between the word and a marker is dropped, as particles attach to their
 * word. Returns the length written. */
size_t ko_resolve(const char *in, char *out, size_t cap);

#endif
