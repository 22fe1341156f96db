/* SPDX-License-Identifier: ISC */
/*
 * tckn.c - the T.C. Kimlik No checksum (DOMAIN.md 6.1) and its masking.
 * The TCKN is personal data: shown masked unless asked, never logged.
 */

#include "autoconf.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "tckn.h"

int
tckn_valid(const char *s)
{
	int	 d[TCKN_LEN], i, odd, even, d10, sum;

	if (s == NULL || strlen(s) != TCKN_LEN)
		return (0);
	for (i = 0; i < TCKN_LEN; i++) {
		if (!isdigit((unsigned char)s[i]))
			return (0);
		d[i] = s[i] - '0';
	}
	if (d[0] == 0)
		return (0);
	odd = d[0] + d[2] + d[4] + d[6] + d[8];
	even = d[1] + d[3] + d[5] + d[7];
	/* 7*odd - even may be negative: C's % would give a negative digit. */
	d10 = ((7 * odd - even) % 10 + 10) % 10;
	if (d[9] != d10)
		return (0);
	for (sum = 0, i = 0; i < 10; i++)
		sum += d[i];
	return (d[10] == sum % 10);
}

int
tckn_from_serial(const char *value, char out[TCKN_BUFSZ])
{
	out[0] = '\0';
	if (value == NULL)
		return (0);
	if (strncmp(value, "PNOTR-", 6) == 0)
		value += 6;
	else if (strncmp(value, "TR", 2) == 0)
		value += 2;
	if (!tckn_valid(value))
		return (0);
	memcpy(out, value, TCKN_BUFSZ);
	return (1);
}

void
tckn_mask(const char *s, char *out, size_t outlen)
{
	size_t	 i, len;

	if (outlen == 0)
		return;
	len = s == NULL ? 0 : strlen(s);
	for (i = 0; i < len && i + 1 < outlen; i++) {
		if (len == TCKN_LEN && (i == 0 || i >= TCKN_LEN - 2))
			out[i] = s[i];
		else
			out[i] = '*';
	}
	out[i] = '\0';
}
