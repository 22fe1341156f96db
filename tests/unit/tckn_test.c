/* SPDX-License-Identifier: ISC */
/*
 * tckn_test.c - unit tests for common/tckn.c: the T.C. Kimlik No checksum
 * (DOMAIN.md 6.1, with its negative-modulo trap), the prefixes stripped
 * from a subject serialNumber, and masking, alone and in any log line
 * (common/log.c's log_mask). Every number is synthetic.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "log.h"
#include "tckn.h"
#include "unit.h"

/* Numbers the brute-force tests draw; a fixed seed keeps runs equal. */
#define RANDOM_COUNT	200000
#define RANDOM_SEED	20260101U

/*
 * An independent reference: d10 is the digit k for which 7*O - E - k is a
 * multiple of 10 (a test against 0 is safe with C's %), d11 the last digit
 * of the sum of d1..d10.
 */
static int
ref_valid(const char *s)
{
	int	i, k, odd = 0, even = 0, sum = 0, d10 = -1;

	if (strlen(s) != 11 || s[0] == '0')
		return (0);
	for (i = 0; i < 11; i++)
		if (s[i] < '0' || s[i] > '9')
			return (0);
	for (i = 0; i < 9; i++) {
		if (i % 2 == 0)
			odd += s[i] - '0';
		else
			even += s[i] - '0';
	}
	for (k = 0; k < 10; k++)
		if ((7 * odd - even - k) % 10 == 0)
			d10 = k;
	for (i = 0; i < 10; i++)
		sum += s[i] - '0';
	return (s[9] - '0' == d10 && s[10] - '0' == sum % 10);
}

/* Complete a nine-digit prefix into the valid number, with ref rules. */
static void
ref_complete(const char prefix[9], char out[12])
{
	int	i, c;

	memcpy(out, prefix, 9);
	out[11] = '\0';
	for (c = 0; c < 100; c++) {
		out[9] = '0' + c / 10;
		out[10] = '0' + c % 10;
		if (ref_valid(out))
			return;
	}
	for (i = 0; i < 11; i++)
		out[i] = 'X';
}

/* A small deterministic generator (xorshift32), not rand(). */
static unsigned int
next_random(unsigned int *state)
{
	unsigned int	x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return (x);
}

START_TEST(test_valid_examples)
{
	ck_assert_int_eq(tckn_valid("11111111110"), 1);
	/* 7*1 - 36 = -29: a naive C % gives -9 and rejects it. */
	ck_assert_int_eq(tckn_valid("19090909018"), 1);
	ck_assert_int_eq(tckn_valid("12345678950"), 1);
	ck_assert_int_eq(tckn_valid("10000000146"), 1);
}
END_TEST

START_TEST(test_invalid_examples)
{
	static const char *bad[] = {
		"19090909019",		/* d11 wrong */
		"19090909008",		/* d10 wrong */
		"01111111110",		/* d1 = 0 */
		"00000000000",		/* checksums hold, d1 = 0 */
		"1111111111",		/* 10 digits */
		"111111111100",		/* 12 digits */
		"11111111111",		/* d11 wrong */
		"1111111111a",
		"a1111111110",
		"abcdefghijk",
		"1111111111O",		/* letter O for zero */
		" 1111111110",
		"11111111110 ",
		"1111111111\n",
		"+1111111110",
		"-1111111110",
		"1111 111110",
		"",
	};
	size_t	i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(tckn_valid(bad[i]) == 0, "\"%s\" accepted",
		    bad[i]);
}
END_TEST

/* Text after a NUL is not part of the number. */
START_TEST(test_embedded_nul)
{
	static const char	s[] = "1111111111\0" "0";

	ck_assert_int_eq(tckn_valid(s), 0);
}
END_TEST

/* Random 11-digit strings: tckn_valid agrees with the reference. */
START_TEST(test_random_strings)
{
	unsigned int	state = RANDOM_SEED;
	char		s[12];
	int		i, j, valid = 0;

	s[11] = '\0';
	for (i = 0; i < RANDOM_COUNT; i++) {
		for (j = 0; j < 11; j++)
			s[j] = '0' + next_random(&state) % 10;
		valid += ref_valid(s);
		/* Plain ifs: every ck_assert costs a write to a pipe. */
		if (tckn_valid(s) != ref_valid(s))
			ck_abort_msg("\"%s\": tckn_valid %d, reference %d",
			    s, tckn_valid(s), ref_valid(s));
	}
	/* About 1 in 100 random strings passes, 9 of 10 with d1 != 0. */
	ck_assert_int_gt(valid, RANDOM_COUNT / 200);
}
END_TEST

/*
 * Valid numbers from random prefixes are accepted, and every change of a
 * single digit is caught, as both check digits cover all the others.
 */
START_TEST(test_random_valid)
{
	unsigned int	state = RANDOM_SEED ^ 0x5a5a5a5aU;
	char		prefix[9], s[12], t[12];
	int		i, j, pos, d;

	for (i = 0; i < RANDOM_COUNT / 10; i++) {
		prefix[0] = '1' + next_random(&state) % 9;
		for (j = 1; j < 9; j++)
			prefix[j] = '0' + next_random(&state) % 10;
		ref_complete(prefix, s);
		if (tckn_valid(s) != 1)
			ck_abort_msg("\"%s\" rejected", s);
		if ((s[10] - '0') % 2 != 0)
			ck_abort_msg("\"%s\": odd d11", s);
		for (pos = 0; pos < 11; pos++) {
			for (d = 0; d < 10; d++) {
				memcpy(t, s, sizeof t);
				if (t[pos] == '0' + d)
					continue;
				t[pos] = '0' + d;
				if (tckn_valid(t) != ref_valid(t))
					ck_abort_msg("\"%s\": tckn_valid "
					    "%d, reference %d", t,
					    tckn_valid(t), ref_valid(t));
			}
		}
	}
}
END_TEST

/*
 * Every prefix whose digits are 0, 1 or 9 (with d1 = 1 or 9): dense in
 * small odd sums and large even sums, where 7*O - E goes negative.
 */
START_TEST(test_negative_sums)
{
	static const char	 digits[3] = { '0', '1', '9' };
	char			 prefix[9], s[12];
	int			 n, k, v, negative = 0;

	for (n = 0; n < 2 * 6561; n++) {
		prefix[0] = n < 6561 ? '1' : '9';
		v = n % 6561;
		for (k = 1; k < 9; k++) {
			prefix[k] = digits[v % 3];
			v /= 3;
		}
		ref_complete(prefix, s);
		if (tckn_valid(s) != 1)
			ck_abort_msg("\"%s\" rejected", s);
		if (7 * (s[0] + s[2] + s[4] + s[6] + s[8] - 5 * '0') -
		    (s[1] + s[3] + s[5] + s[7] - 4 * '0') < 0)
			negative++;
		/* The other 99 endings are all wrong. */
		for (k = 0; k < 100; k++) {
			s[9] = '0' + k / 10;
			s[10] = '0' + k % 10;
			if (tckn_valid(s) != ref_valid(s))
				ck_abort_msg("\"%s\": tckn_valid %d, "
				    "reference %d", s, tckn_valid(s),
				    ref_valid(s));
		}
	}
	ck_assert_int_gt(negative, 100);
}
END_TEST

START_TEST(test_from_serial)
{
	static const struct {
		const char	*serial;
		const char	*tckn;	/* NULL: not a TCKN */
	} cases[] = {
		{ "11111111110", "11111111110" },
		{ "TR11111111110", "11111111110" },
		{ "PNOTR-19090909018", "19090909018" },
		{ "TR19090909018", "19090909018" },
		{ "12345678950", "12345678950" },
		{ "1234567890", NULL },		/* a VKN, 10 digits */
		{ "TR1234567890", NULL },
		{ "PNOTR-1234567890", NULL },
		{ "19090909019", NULL },	/* bad checksum */
		{ "TR19090909019", NULL },
		{ "PNOTR-11111111111", NULL },
		{ "01111111110", NULL },
		{ "TRTR11111111110", NULL },	/* one prefix only */
		{ "PNOTR-TR11111111110", NULL },
		{ "TR", NULL },
		{ "PNOTR-", NULL },
		{ "", NULL },
		{ "111111111100", NULL },
	};
	char	out[TCKN_BUFSZ];
	size_t	i;
	int	rv;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(out, 'X', sizeof out);
		rv = tckn_from_serial(cases[i].serial, out);
		if (cases[i].tckn != NULL) {
			ck_assert_msg(rv == 1, "\"%s\" not a TCKN",
			    cases[i].serial);
			ck_assert_str_eq(out, cases[i].tckn);
		} else {
			ck_assert_msg(rv == 0, "\"%s\" taken as a TCKN",
			    cases[i].serial);
			ck_assert_msg(out[0] == '\0', "\"%s\": out not empty",
			    cases[i].serial);
		}
	}
}
END_TEST

START_TEST(test_mask)
{
	char	out[32];

	tckn_mask("12345678950", out, sizeof out);
	ck_assert_str_eq(out, "1********50");
	tckn_mask("11111111110", out, sizeof out);
	ck_assert_str_eq(out, "1********10");
	tckn_mask("19090909018", out, sizeof out);
	ck_assert_str_eq(out, "1********18");
}
END_TEST

/* The mask fits a TCKN_BUFSZ buffer exactly. */
START_TEST(test_mask_bufsz)
{
	char	out[TCKN_BUFSZ + 1];

	memset(out, 'X', sizeof out);
	tckn_mask("12345678950", out, TCKN_BUFSZ);
	ck_assert_str_eq(out, "1********50");
	ck_assert_int_eq(out[TCKN_BUFSZ], 'X');
}
END_TEST

/* Anything but a TCKN is masked whole: no digit shows. */
START_TEST(test_mask_other)
{
	static const char *others[] = {
		"1234567890", "123456789012", "TR11111111110", "12345",
	};
	char	out[32];
	size_t	i;

	for (i = 0; i < sizeof others / sizeof others[0]; i++) {
		memset(out, 'X', sizeof out);
		tckn_mask(others[i], out, sizeof out);
		ck_assert_msg(strlen(out) > 0, "\"%s\": empty mask",
		    others[i]);
		ck_assert_msg(strspn(out, "*") == strlen(out),
		    "\"%s\" masked as \"%s\"", others[i], out);
	}
	tckn_mask("", out, sizeof out);
	ck_assert_msg(strspn(out, "*") == strlen(out), "\"\" masked as \"%s\"",
	    out);
}
END_TEST

/* A short buffer truncates, stays terminated, and leaks no more. */
START_TEST(test_mask_short)
{
	char	out[8];
	size_t	len;

	memset(out, 'X', sizeof out);
	tckn_mask("12345678950", out, 5);
	len = strnlen(out, 5);
	ck_assert_uint_lt(len, 5);
	ck_assert_int_eq(strncmp(out, "1********50", len), 0);
	ck_assert_int_eq(out[5], 'X');

	memset(out, 'X', sizeof out);
	tckn_mask("12345678950", out, 1);
	ck_assert_int_eq(out[0], '\0');
	ck_assert_int_eq(out[1], 'X');
}
END_TEST

/* log_mask: valid TCKNs anywhere in a line, and only those. */
START_TEST(test_log_mask)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "file /srv/12345678950.pem: read",
		    "file /srv/1********50.pem: read" },
		{ "12345678950", "1********50" },
		{ "a 12345678950 b 10000000146.", "a 1********50 b 1********46." },
		{ "not valid 12345678951", "not valid 12345678951" },
		{ "twelve 123456789501", "twelve 123456789501" },
		{ "ten 1234567895", "ten 1234567895" },
		{ "x12345678950y", "x1********50y" },
		{ "", "" },
	};
	char	 buf[128];
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		log_mask(buf);
		ck_assert_str_eq(buf, cases[i].out);
	}
}
END_TEST

static Suite *
tckn_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("tckn");

	tc = tcase_create("valid");
	tcase_add_test(tc, test_valid_examples);
	tcase_add_test(tc, test_invalid_examples);
	tcase_add_test(tc, test_embedded_nul);
	suite_add_tcase(s, tc);

	tc = tcase_create("brute-force");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_random_strings);
	tcase_add_test(tc, test_random_valid);
	tcase_add_test(tc, test_negative_sums);
	suite_add_tcase(s, tc);

	tc = tcase_create("from_serial");
	tcase_add_test(tc, test_from_serial);
	suite_add_tcase(s, tc);

	tc = tcase_create("mask");
	tcase_add_test(tc, test_mask);
	tcase_add_test(tc, test_mask_bufsz);
	tcase_add_test(tc, test_mask_other);
	tcase_add_test(tc, test_mask_short);
	tcase_add_test(tc, test_log_mask);
	suite_add_tcase(s, tc);

	return (s);
}

const struct unit_test unit_test = { tckn_suite, NULL, NULL };
