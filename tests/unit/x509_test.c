/* SPDX-License-Identifier: ISC */
/*
 * x509_test.c - unit tests for common/x509.c on certificates made in
 * memory by tests/certgen.c: the NES classification of DOMAIN.md section
 * 2 for each kind, the holder's identity, dates, fingerprint and serial
 * (computed here independently), and x509_load on PEM, DER and PKCS#7
 * input, good and bad. All identity numbers are synthetic.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <check.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "certgen.h"
#include "unit.h"
#include "x509.h"

#define NAME_AYSE	"AY\xc5\x9e" "E YILMAZ"	/* AYŞE YILMAZ */
/* İSMAİL ÇAĞLAR ÖZGÜR: dotted capital I, C/G/O/U with marks */
#define NAME_TURKISH	"\xc4\xb0SMA\xc4\xb0L \xc3\x87" "A\xc4\x9e" \
			"LAR \xc3\x96ZG\xc3\x9cR"

#define T_2026		1767225600	/* 2026-01-01T00:00:00Z */
#define T_2029		1861920000	/* 2029-01-01T00:00:00Z */

/* Made in main() before the tests fork, so all share one CA. */
static struct certgen	*cg;

/* What each certgen kind must come out as. */
static const struct {
	enum certgen_kind	 kind;
	enum x509_kind		 want;
	int			 qualified;
} kind_cases[] = {
	{ CERTGEN_NES, X509_KIND_NES, 1 },
	{ CERTGEN_NES2, X509_KIND_NES, 1 },
	{ CERTGEN_PLAIN, X509_KIND_OTHER, 0 },
	{ CERTGEN_QC_ONLY, X509_KIND_OTHER, 0 },
	{ CERTGEN_BTK_ONLY, X509_KIND_OTHER, 0 },
	{ CERTGEN_SEAL, X509_KIND_SEAL, 1 },
	{ CERTGEN_NITELIKLI_SEAL, X509_KIND_SEAL, 1 },
	{ CERTGEN_MALI_MUHUR, X509_KIND_MALI_MUHUR, 1 },
	{ CERTGEN_POLICY_ONLY, X509_KIND_OTHER, 0 },
};

/* A leaf with the usual holder; fails the test if it cannot be made. */
static X509 *
make(enum certgen_kind kind, const char *serial, const char *cn,
    const char *email)
{
	struct certgen_leaf	 leaf;
	X509			*x;
	char			*cause = NULL;

	memset(&leaf, 0, sizeof leaf);
	leaf.kind = kind;
	leaf.serial_number = serial;
	leaf.cn = cn;
	leaf.email = email;
	leaf.not_before = T_2026;
	leaf.not_after = T_2029;
	if ((x = certgen_issue(cg, &leaf, &cause)) == NULL)
		ck_abort_msg("certgen_issue: %s", cause ? cause : "?");
	return (x);
}

/* x encoded as format, allocated; fails the test on error. */
static unsigned char *
encode(X509 **x, size_t n, enum certgen_format format, size_t *len)
{
	unsigned char	*buf;
	char		*cause = NULL;

	if (certgen_encode(x, n, format, &buf, len, &cause) != 0)
		ck_abort_msg("certgen_encode: %s", cause ? cause : "?");
	return (buf);
}

/* Parse x through x509_parse_der; fails the test on error. */
static struct x509_info *
parse(X509 *x)
{
	struct x509_info	*info;
	unsigned char		*der;
	size_t			 len;
	char			*cause = NULL;

	der = encode(&x, 1, CERTGEN_DER, &len);
	info = x509_parse_der(der, len, &cause);
	ck_assert_msg(info != NULL, "x509_parse_der: %s",
	    cause ? cause : "?");
	free(der);
	return (info);
}

/* The SHA-256 of x's DER in lower-case hex, computed here. */
static void
fingerprint(X509 *x, char out[65])
{
	unsigned char	*der = NULL, md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen, i;
	int		 len;

	len = i2d_X509(x, &der);
	ck_assert_int_gt(len, 0);
	ck_assert_int_eq(EVP_Digest(der, len, md, &mdlen, EVP_sha256(),
	    NULL), 1);
	ck_assert_uint_eq(mdlen, 32);
	for (i = 0; i < mdlen; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	OPENSSL_free(der);
}

/* x's serial as upper-case hex of its content octets, computed here. */
static void
serial_hex(X509 *x, char *out, size_t len)
{
	const ASN1_INTEGER	*ai = X509_get0_serialNumber(x);
	const unsigned char	*p = ASN1_STRING_get0_data(ai);
	int			 i, n = ASN1_STRING_length(ai);

	ck_assert_uint_lt((size_t)n * 2, len);
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02X", p[i]);
	out[2 * n] = '\0';
}

/* x509_load must fail on buf, with a cause; returns the cause. */
static char *
load_fails(const void *buf, size_t len)
{
	struct x509_info	**list = NULL;
	char			 *cause = NULL;
	int			  n;

	n = x509_load(buf, len, &list, &cause);
	if (n != -1) {
		x509_list_free(list, n > 0 ? n : 0);
		ck_abort_msg("x509_load returned %d, not -1", n);
	}
	ck_assert_msg(cause != NULL && *cause != '\0', "no cause");
	return (cause);
}

/* Case-insensitive strstr for checking causes. */
static int
contains(const char *s, const char *word)
{
	size_t	n = strlen(word);

	for (; *s != '\0'; s++)
		if (strncasecmp(s, word, n) == 0)
			return (1);
	return (0);
}

START_TEST(test_kind)
{
	struct x509_info	*info;
	X509			*x;

	x = make(kind_cases[_i].kind, "11111111110", NAME_AYSE, NULL);
	info = parse(x);
	ck_assert_msg(info->kind == kind_cases[_i].want,
	    "kind %s: got %s, want %s", certgen_kind_name(kind_cases[_i].kind),
	    x509_kind_name(info->kind), x509_kind_name(kind_cases[_i].want));
	ck_assert_msg(info->qualified == kind_cases[_i].qualified,
	    "kind %s: qualified %d, want %d",
	    certgen_kind_name(kind_cases[_i].kind), info->qualified,
	    kind_cases[_i].qualified);
	/* The identity is read whatever the kind. */
	ck_assert_str_eq(info->tckn, "11111111110");
	ck_assert_str_eq(info->holder_name, NAME_AYSE);
	x509_info_free(info);
	X509_free(x);
}
END_TEST

START_TEST(test_kind_names)
{
	ck_assert_str_eq(x509_kind_name(X509_KIND_NES), "nes");
	ck_assert_str_eq(x509_kind_name(X509_KIND_SEAL), "seal");
	ck_assert_str_eq(x509_kind_name(X509_KIND_MALI_MUHUR), "mali_muhur");
	ck_assert_str_eq(x509_kind_name(X509_KIND_OTHER), "other");
}
END_TEST

/* serialNumber -> tckn / other_id (DOMAIN.md 3). */
START_TEST(test_identity)
{
	static const struct {
		const char	*serial;
		const char	*tckn;
		const char	*other;
	} cases[] = {
		{ "11111111110", "11111111110", NULL },
		{ "TR19090909018", "19090909018", NULL },
		{ "PNOTR-12345678950", "12345678950", NULL },
		{ "1234567890", "", "1234567890" },	/* a VKN */
		{ "11111111111", "", "11111111111" },	/* bad checksum */
		{ "TR19090909019", "", "TR19090909019" },
		{ NULL, "", NULL },
	};
	struct x509_info	*info;
	X509			*x;
	size_t			 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		x = make(CERTGEN_NES, cases[i].serial, NAME_AYSE, NULL);
		info = parse(x);
		ck_assert_msg(strcmp(info->tckn, cases[i].tckn) == 0,
		    "serialNumber %s: tckn \"%s\", want \"%s\"",
		    cases[i].serial ? cases[i].serial : "(none)", info->tckn,
		    cases[i].tckn);
		if (cases[i].other == NULL)
			ck_assert_ptr_null(info->other_id);
		else {
			ck_assert_ptr_nonnull(info->other_id);
			ck_assert_str_eq(info->other_id, cases[i].other);
		}
		x509_info_free(info);
		X509_free(x);
	}
}
END_TEST

/* A seal with a VKN: the kind does not hinge on the identifier. */
START_TEST(test_seal_vkn)
{
	struct x509_info	*info;
	X509			*x;

	x = make(CERTGEN_SEAL, "1234567890", "TEST KURUMU", NULL);
	info = parse(x);
	ck_assert_int_eq(info->kind, X509_KIND_SEAL);
	ck_assert_str_eq(info->tckn, "");
	ck_assert_str_eq(info->other_id, "1234567890");
	x509_info_free(info);
	X509_free(x);
}
END_TEST

START_TEST(test_names)
{
	struct x509_info	*info;
	X509			*x;

	x = make(CERTGEN_NES, "11111111110", NAME_TURKISH, NULL);
	info = parse(x);
	ck_assert_str_eq(info->holder_name, NAME_TURKISH);
	ck_assert_str_eq(info->issuer, CERTGEN_CA_SUBJECT);
	ck_assert_str_eq(info->subject,
	    "serialNumber=11111111110,CN=" NAME_TURKISH ",C=TR");
	x509_info_free(info);
	X509_free(x);

	x = make(CERTGEN_NES, "11111111110", NULL, NULL);
	info = parse(x);
	ck_assert_ptr_null(info->holder_name);
	ck_assert_str_eq(info->subject, "serialNumber=11111111110,C=TR");
	x509_info_free(info);
	X509_free(x);
}
END_TEST

/* D5: an empty subject DN (PKITS, x509-limbo) is "", not UB. */
START_TEST(test_empty_subject)
{
	struct x509_info	*info;
	X509_NAME		*empty;
	X509			*x;

	x = make(CERTGEN_PLAIN, NULL, NULL, NULL);
	ck_assert_ptr_nonnull(empty = X509_NAME_new());
	ck_assert_int_eq(X509_set_subject_name(x, empty), 1);
	X509_NAME_free(empty);
	info = parse(x);
	ck_assert_str_eq(info->subject, "");
	ck_assert_ptr_null(info->holder_name);
	x509_info_free(info);
	X509_free(x);
}
END_TEST

START_TEST(test_email)
{
	struct x509_info	*info;
	X509			*x;

	x = make(CERTGEN_NES, "11111111110", NAME_AYSE,
	    "ayse.yilmaz@example.org");
	info = parse(x);
	ck_assert_ptr_nonnull(info->email);
	ck_assert_str_eq(info->email, "ayse.yilmaz@example.org");
	x509_info_free(info);
	X509_free(x);

	x = make(CERTGEN_NES, "11111111110", NAME_AYSE, NULL);
	info = parse(x);
	ck_assert_ptr_null(info->email);
	x509_info_free(info);
	X509_free(x);

	/* D1: the maker of the certificate chose these bytes. */
	x = make(CERTGEN_NES, "11111111110", NAME_AYSE,
	    "ayse@example.org\r\nRCPT TO:<x@example.net>");
	info = parse(x);
	ck_assert_ptr_null(info->email);
	x509_info_free(info);
	X509_free(x);
	x = make(CERTGEN_NES, "11111111110", NAME_AYSE, "Ayse <a@example.org>");
	info = parse(x);
	ck_assert_ptr_null(info->email);
	x509_info_free(info);
	X509_free(x);
}
END_TEST

START_TEST(test_dates)
{
	static const struct {
		time_t	nb, na;
	} cases[] = {
		{ T_2026, T_2029 },
		{ 1000000000, 1000000001 },		/* 2001, 1 s */
		{ 1735689599, 1830297599 },		/* 23:59:59 */
		{ T_2026, (time_t)2556143999LL },	/* 2050-12-31 */
		{ (time_t)2524608000LL, (time_t)3000000000LL },
	};
	struct certgen_leaf	 leaf;
	struct x509_info	*info;
	X509			*x;
	char			*cause = NULL;
	size_t			 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&leaf, 0, sizeof leaf);
		leaf.kind = CERTGEN_NES;
		leaf.serial_number = "11111111110";
		leaf.cn = NAME_AYSE;
		leaf.not_before = cases[i].nb;
		leaf.not_after = cases[i].na;
		x = certgen_issue(cg, &leaf, &cause);
		ck_assert_msg(x != NULL, "certgen_issue: %s", cause);
		info = parse(x);
		ck_assert_int_eq(info->not_before, cases[i].nb);
		ck_assert_int_eq(info->not_after, cases[i].na);
		x509_info_free(info);
		X509_free(x);
	}
}
END_TEST

START_TEST(test_fingerprint_serial)
{
	struct x509_info	*info;
	X509			*x;
	unsigned char		*der;
	size_t			 len;
	char			 want[65], serial[128];

	x = make(CERTGEN_NES, "11111111110", NAME_AYSE, NULL);
	fingerprint(x, want);
	serial_hex(x, serial, sizeof serial);
	der = encode(&x, 1, CERTGEN_DER, &len);
	info = parse(x);
	ck_assert_str_eq(info->fingerprint, want);
	ck_assert_str_eq(info->serial, serial);
	ck_assert_uint_eq(info->der_len, len);
	ck_assert_mem_eq(info->der, der, len);
	free(der);
	x509_info_free(info);
	X509_free(x);
}
END_TEST

/*
 * Every strict prefix of a DER certificate is refused, and from two bytes
 * on (a SEQUENCE tag and the start of its length) the cause says the DER
 * is truncated, as spec.md has cert.import say why.
 */
START_TEST(test_parse_truncated)
{
	struct x509_info	*info;
	X509			*x;
	unsigned char		*der;
	size_t			 len, n;
	char			*cause;

	x = make(CERTGEN_NES, "11111111110", NAME_AYSE, NULL);
	der = encode(&x, 1, CERTGEN_DER, &len);
	for (n = 0; n < len; n++) {
		cause = NULL;
		info = x509_parse_der(der, n, &cause);
		if (info != NULL)
			ck_abort_msg("%zu of %zu bytes parsed", n, len);
		if (cause == NULL || *cause == '\0')
			ck_abort_msg("%zu of %zu bytes: no cause", n, len);
		if (n >= 2 && !contains(cause, "truncated"))
			ck_abort_msg("%zu of %zu bytes: cause \"%s\"", n, len,
			    cause);
		free(cause);
	}
	free(der);
	X509_free(x);
}
END_TEST

/* Three certificates, checked in order against their fingerprints. */
static void
check_load(enum certgen_format format, size_t n, const char *prefix)
{
	struct x509_info	**list = NULL;
	X509			 *x[3];
	unsigned char		 *buf, *in;
	size_t			  len, plen, i;
	char			 *cause = NULL, fp[3][65];
	int			  got;

	x[0] = make(CERTGEN_NES, "11111111110", NAME_AYSE, NULL);
	x[1] = make(CERTGEN_SEAL, "1234567890", "TEST KURUMU", NULL);
	x[2] = make(CERTGEN_PLAIN, "19090909018", NAME_TURKISH, NULL);
	for (i = 0; i < n; i++)
		fingerprint(x[i], fp[i]);
	buf = encode(x, n, format, &len);
	plen = prefix != NULL ? strlen(prefix) : 0;
	in = malloc(plen + len);
	ck_assert_ptr_nonnull(in);
	if (plen > 0)
		memcpy(in, prefix, plen);
	memcpy(in + plen, buf, len);

	got = x509_load(in, plen + len, &list, &cause);
	ck_assert_msg(got == (int)n, "x509_load (%s): %d, want %zu: %s",
	    certgen_format_name(format), got, n, cause ? cause : "");
	ck_assert_ptr_nonnull(list);
	/* PKCS#7 is a SET OF: the order may change, the certs may not. */
	for (i = 0; i < n; i++) {
		if (format == CERTGEN_PEM || format == CERTGEN_DER)
			ck_assert_str_eq(list[i]->fingerprint, fp[i]);
		else
			ck_assert_msg(strcmp(list[i]->fingerprint, fp[0]) ==
			    0 || (n > 1 && (strcmp(list[i]->fingerprint,
			    fp[1]) == 0 || strcmp(list[i]->fingerprint,
			    fp[2]) == 0)), "unknown certificate %zu", i);
	}
	if (n == 3 && format != CERTGEN_DER) {
		ck_assert_str_ne(list[0]->fingerprint, list[1]->fingerprint);
		ck_assert_str_ne(list[1]->fingerprint, list[2]->fingerprint);
		ck_assert_str_ne(list[0]->fingerprint, list[2]->fingerprint);
	}
	x509_list_free(list, got);
	free(in);
	free(buf);
	for (i = 0; i < 3; i++)
		X509_free(x[i]);
}

START_TEST(test_load_pem)
{
	check_load(CERTGEN_PEM, 3, NULL);
	check_load(CERTGEN_PEM, 1, NULL);
}
END_TEST

/* Text around PEM blocks, as openssl and browsers write it. */
START_TEST(test_load_pem_text)
{
	check_load(CERTGEN_PEM, 3, "subject=CN = AYSE YILMAZ\n"
	    "issuer=CN = NES Test Kok SM\n\n");
}
END_TEST

START_TEST(test_load_der)
{
	check_load(CERTGEN_DER, 1, NULL);
}
END_TEST

START_TEST(test_load_p7)
{
	check_load(CERTGEN_P7, 3, NULL);
	check_load(CERTGEN_P7, 1, NULL);
}
END_TEST

START_TEST(test_load_p7pem)
{
	check_load(CERTGEN_P7PEM, 3, NULL);
}
END_TEST

START_TEST(test_load_garbage)
{
	static const unsigned char	bin[] = {
		0x30, 0x03, 0x02, 0x01, 0x05
	};
	static const unsigned char	zeros[64];
	static const char		text[] = "this is not a certificate\n";

	free(load_fails(text, sizeof text - 1));
	free(load_fails(bin, sizeof bin));
	free(load_fails(zeros, sizeof zeros));
	free(load_fails("\xff", 1));
}
END_TEST

START_TEST(test_load_empty)
{
	free(load_fails("", 0));
}
END_TEST

START_TEST(test_load_truncated_der)
{
	X509		*x;
	unsigned char	*der;
	size_t		 len;
	char		*cause;

	x = make(CERTGEN_NES, "11111111110", NAME_AYSE, NULL);
	der = encode(&x, 1, CERTGEN_DER, &len);
	cause = load_fails(der, len / 2);
	ck_assert_msg(contains(cause, "truncated"), "cause \"%s\"", cause);
	free(cause);
	cause = load_fails(der, len - 1);
	ck_assert_msg(contains(cause, "truncated"), "cause \"%s\"", cause);
	free(cause);
	free(load_fails(der, 1));
	free(der);
	X509_free(x);
}
END_TEST

START_TEST(test_load_truncated_p7)
{
	X509		*x;
	unsigned char	*buf;
	size_t		 len;

	x = make(CERTGEN_NES, "11111111110", NAME_AYSE, NULL);
	buf = encode(&x, 1, CERTGEN_P7, &len);
	free(load_fails(buf, len - 10));
	free(buf);
	X509_free(x);
}
END_TEST

/* A PEM block cut in its base64, or without its END line. */
START_TEST(test_load_truncated_pem)
{
	X509		*x;
	unsigned char	*pem;
	size_t		 len;

	x = make(CERTGEN_NES, "11111111110", NAME_AYSE, NULL);
	pem = encode(&x, 1, CERTGEN_PEM, &len);
	free(load_fails(pem, len / 2));
	free(load_fails(pem, len - strlen("-----END CERTIFICATE-----\n")));
	free(pem);
	X509_free(x);
}
END_TEST

START_TEST(test_load_private_key)
{
	EVP_PKEY	*key;
	BIO		*bio;
	char		*data, *cause;
	long		 len;

	key = EVP_EC_gen("P-256");
	ck_assert_ptr_nonnull(key);
	bio = BIO_new(BIO_s_mem());
	ck_assert_int_eq(PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0,
	    NULL, NULL), 1);
	len = BIO_get_mem_data(bio, &data);
	ck_assert_ptr_nonnull(strstr(data, "PRIVATE KEY"));
	cause = load_fails(data, len);
	ck_assert_msg(contains(cause, "no certificate"), "cause \"%s\"",
	    cause);
	free(cause);
	BIO_free(bio);
	EVP_PKEY_free(key);
}
END_TEST

/* A key and a certificate in one PEM file: the certificate is found. */
START_TEST(test_load_key_and_cert)
{
	struct x509_info	**list = NULL;
	EVP_PKEY		 *key;
	BIO			 *bio;
	X509			 *x;
	char			 *data, *cause = NULL, fp[65];
	long			  len;
	int			  n;

	x = make(CERTGEN_NES, "11111111110", NAME_AYSE, NULL);
	fingerprint(x, fp);
	key = EVP_EC_gen("P-256");
	bio = BIO_new(BIO_s_mem());
	ck_assert_int_eq(PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0,
	    NULL, NULL), 1);
	ck_assert_int_eq(PEM_write_bio_X509(bio, x), 1);
	len = BIO_get_mem_data(bio, &data);
	n = x509_load((unsigned char *)data, len, &list, &cause);
	ck_assert_msg(n == 1, "x509_load: %d: %s", n, cause ? cause : "");
	ck_assert_str_eq(list[0]->fingerprint, fp);
	x509_list_free(list, n);
	BIO_free(bio);
	EVP_PKEY_free(key);
	X509_free(x);
}
END_TEST

START_TEST(test_load_empty_p7)
{
	unsigned char	*buf;
	size_t		 len;

	buf = encode(NULL, 0, CERTGEN_P7, &len);
	free(load_fails(buf, len));
	free(buf);
	buf = encode(NULL, 0, CERTGEN_P7PEM, &len);
	free(load_fails(buf, len));
	free(buf);
}
END_TEST

/* x509_pem gives PEM that both x509_load and OpenSSL read back. */
START_TEST(test_pem_roundtrip)
{
	struct x509_info	 *info, **list = NULL;
	X509			 *x, *y;
	BIO			 *bio;
	unsigned char		 *der = NULL;
	char			 *pem, *cause = NULL, *line, *nl;
	int			  n, dlen;

	x = make(CERTGEN_MALI_MUHUR, "1234567890", "TEST KURUMU",
	    "muhur@example.org");
	info = parse(x);
	pem = x509_pem(info);
	ck_assert_ptr_nonnull(pem);
	ck_assert_int_eq(strncmp(pem, "-----BEGIN CERTIFICATE-----\n", 28), 0);
	ck_assert_ptr_nonnull(strstr(pem, "\n-----END CERTIFICATE-----\n"));
	ck_assert_str_eq(pem + strlen(pem) - 26,
	    "-----END CERTIFICATE-----\n");
	for (line = pem; (nl = strchr(line, '\n')) != NULL; line = nl + 1)
		ck_assert_int_le(nl - line, 64);
	ck_assert_str_eq(line, "");

	n = x509_load((unsigned char *)pem, strlen(pem), &list, &cause);
	ck_assert_msg(n == 1, "x509_load: %d: %s", n, cause ? cause : "");
	ck_assert_str_eq(list[0]->fingerprint, info->fingerprint);
	ck_assert_uint_eq(list[0]->der_len, info->der_len);
	ck_assert_mem_eq(list[0]->der, info->der, info->der_len);
	ck_assert_int_eq(list[0]->kind, X509_KIND_MALI_MUHUR);
	x509_list_free(list, n);

	bio = BIO_new_mem_buf(pem, -1);
	y = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	ck_assert_ptr_nonnull(y);
	dlen = i2d_X509(y, &der);
	ck_assert_int_eq(dlen, (int)info->der_len);
	ck_assert_mem_eq(der, info->der, info->der_len);
	OPENSSL_free(der);
	X509_free(y);
	BIO_free(bio);
	free(pem);
	x509_info_free(info);
	X509_free(x);
}
END_TEST

START_TEST(test_free_null)
{
	x509_info_free(NULL);
	x509_list_free(NULL, 0);
}
END_TEST

static Suite *
x509_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("x509");

	tc = tcase_create("classify");
	tcase_add_loop_test(tc, test_kind, 0,
	    sizeof kind_cases / sizeof kind_cases[0]);
	tcase_add_test(tc, test_kind_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("fields");
	tcase_add_test(tc, test_identity);
	tcase_add_test(tc, test_seal_vkn);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_empty_subject);
	tcase_add_test(tc, test_email);
	tcase_add_test(tc, test_dates);
	tcase_add_test(tc, test_fingerprint_serial);
	tcase_add_test(tc, test_parse_truncated);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_add_test(tc, test_load_pem);
	tcase_add_test(tc, test_load_pem_text);
	tcase_add_test(tc, test_load_der);
	tcase_add_test(tc, test_load_p7);
	tcase_add_test(tc, test_load_p7pem);
	tcase_add_test(tc, test_load_garbage);
	tcase_add_test(tc, test_load_empty);
	tcase_add_test(tc, test_load_truncated_der);
	tcase_add_test(tc, test_load_truncated_p7);
	tcase_add_test(tc, test_load_truncated_pem);
	tcase_add_test(tc, test_load_private_key);
	tcase_add_test(tc, test_load_key_and_cert);
	tcase_add_test(tc, test_load_empty_p7);
	tcase_add_test(tc, test_pem_roundtrip);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);

	return (s);
}

/* One CA for every test. */
static int
x509_test_setup(void)
{
	char	*cause = NULL;

	if ((cg = certgen_new(NULL, &cause)) == NULL) {
		fprintf(stderr, "x509_test: certgen: %s\n", cause);
		return (-1);
	}
	return (0);
}

static void
x509_test_teardown(void)
{
	certgen_free(cg);
}

const struct unit_test unit_test = { x509_suite, x509_test_setup,
    x509_test_teardown };
