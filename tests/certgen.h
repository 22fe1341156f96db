/* SPDX-License-Identifier: ISC */
/*
 * certgen.h - test certificates shaped like Kamu SM ones, made with
 * OpenSSL 3: a test CA ("CN=NES Test Kok SM,O=Test Kamu SM,C=TR") and
 * leaves of each kind DOMAIN.md section 2 tells apart (NES, seals, Mali
 * Muhur, and near misses that must not count as NES). Used by nes-mkcert
 * and the X.509 unit test; links libcrypto only, never libnes.
 */
#ifndef NES_CERTGEN_H
#define NES_CERTGEN_H

#include <sys/types.h>

#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

#define CERTGEN_CA_SUBJECT	"CN=NES Test Kok SM,O=Test Kamu SM,C=TR"

/* The leaf kinds; certgen_kind_name() gives the nes-mkcert --kind word. */
enum certgen_kind {
	CERTGEN_NES,		/* ETSI QcCompliance + BTK 5070.1.1 */
	CERTGEN_NES2,		/* ETSI QcCompliance + BTK 5070.2.1 */
	CERTGEN_PLAIN,		/* no qcStatements at all */
	CERTGEN_QC_ONLY,	/* ETSI QcCompliance only */
	CERTGEN_BTK_ONLY,	/* BTK 5070.1.1 only, no ETSI */
	CERTGEN_SEAL,		/* ETSI + 5070.1.1 + 5070.1.3 (kurumsal) */
	CERTGEN_NITELIKLI_SEAL,	/* ETSI + 5070.2.1 + 5070.2.2 */
	CERTGEN_MALI_MUHUR,	/* NES qcStatements + Mali Muhur OIDs */
	CERTGEN_POLICY_ONLY,	/* BTK OIDs wrongly as policies */
	CERTGEN_NKINDS
};

/* Output encodings. */
enum certgen_format {
	CERTGEN_PEM,		/* CERTIFICATE blocks, any number */
	CERTGEN_DER,		/* one DER certificate */
	CERTGEN_P7,		/* DER PKCS#7 signed-data with the certs */
	CERTGEN_P7PEM,		/* the same in a PKCS7 PEM block */
	CERTGEN_NFORMATS
};

/* What a leaf holds; NULL strings are left out of the certificate. */
struct certgen_leaf {
	const char		*serial_number;	/* subject serialNumber, raw */
	const char		*cn;		/* UTF-8 */
	const char		*email;		/* SAN rfc822Name */
	time_t			 not_before;
	time_t			 not_after;
	enum certgen_kind	 kind;
};

struct certgen;

/*
 * A generator with its CA and one leaf key shared by all leaves. With a
 * directory, the CA is read from DIR/ca.key and DIR/ca.crt, or made and
 * written there (under a lock) when missing; with NULL it lives in memory
 * only. NULL with *cause set on failure.
 */
struct certgen	*certgen_new(const char *, char **);
void		 certgen_free(struct certgen *);

/* The CA certificate (owned by the generator). */
X509		*certgen_ca(struct certgen *);

/* Issue a leaf with a fresh random serial; NULL with *cause set. */
X509		*certgen_issue(struct certgen *,
		    const struct certgen_leaf *, char **);

/*
 * Encode n certificates; DER takes exactly one. Returns 0 and an
 * allocated buffer (free with free()), or -1 with *cause set.
 */
int		 certgen_encode(X509 **, size_t, enum certgen_format,
		    unsigned char **, size_t *, char **);

/*
 * Encode and write to path, keeping only the first max bytes when max is
 * not negative (for bad-input fixtures). 0 or -1 with *cause set.
 */
int		 certgen_write(const char *, X509 **, size_t,
		    enum certgen_format, long long, char **);

/* DER of one certificate, allocated; NULL with *cause set. */
unsigned char	*certgen_der(X509 *, size_t *, char **);

/* mkdir -p: dir and its missing parents with mode; 0 or -1 (errno). */
int		 certgen_mkdirs(const char *, mode_t);

/* Word <-> value; parse returns 0 or -1. */
const char	*certgen_kind_name(enum certgen_kind);
int		 certgen_kind_parse(const char *, enum certgen_kind *);
const char	*certgen_format_name(enum certgen_format);
int		 certgen_format_parse(const char *, enum certgen_format *);

/*
 * A synthetic, checksum-valid TCKN numbered n: its first nine digits are
 * 100000000 + n (so distinct for n below 900,000,000), then the two
 * check digits.
 */
void		 certgen_tckn(unsigned long, char [12]);

#endif
