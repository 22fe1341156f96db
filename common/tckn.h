/*
 * tckn.h - Turkish identity numbers (T.C. Kimlik No): checksum and masking.
 */
#ifndef NES_TCKN_H
#define NES_TCKN_H

#include <stddef.h>

#define TCKN_LEN	11
#define TCKN_BUFSZ	(TCKN_LEN + 1)

/* 1 if s is exactly 11 digits, first not 0, with both check digits right. */
int	tckn_valid(const char *);

/*
 * From a subject serialNumber value, strip an optional "TR" or "PNOTR-"
 * prefix; copy the TCKN into out and return 1 when it is a valid TCKN,
 * else return 0 and leave out empty.
 */
int	tckn_from_serial(const char *, char out[TCKN_BUFSZ]);

/* "12345678950" -> "1********50"; anything else is masked whole. */
void	tckn_mask(const char *, char *, size_t);

#endif
