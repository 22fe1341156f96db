/* SPDX-License-Identifier: ISC */
/*
 * certgen.c - test certificates shaped like Kamu SM ones. The CA key (EC
 * P-256 unless loaded from a directory) signs, one EC P-256 key serves
 * every leaf, and the extensions of each kind are encoded once, so issuing
 * a leaf costs little more than one signature: nes-mkcert makes 100,000 of
 * them in seconds.
 *
 * The qcStatements extension is DER written by hand: SEQUENCE OF
 * SEQUENCE { statementId }, without statementInfo, as the BTK profile
 * puts the ETSI and BTK statements (DOMAIN.md section 2).
 */
#include "autoconf.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "certgen.h"

#define OID_QCSTATEMENTS	"1.3.6.1.5.5.7.1.3"
#define OID_ETSI_QC		"0.4.0.1862.1.1"
#define OID_BTK_NES1		"2.16.792.1.61.0.1.5070.1.1"
#define OID_BTK_SEAL1		"2.16.792.1.61.0.1.5070.1.3"
#define OID_BTK_NES2		"2.16.792.1.61.0.1.5070.2.1"
#define OID_BTK_SEAL2		"2.16.792.1.61.0.1.5070.2.2"
#define OID_POL_NES		"2.16.792.1.2.1.1.5.7.1.1"
#define OID_POL_MALI		"2.16.792.1.2.1.1.5.7.4.1"
#define OID_EKU_MALI		"2.16.792.1.2.1.1.5.7.50.1"

/* The CA's validity covers any leaf a test may want. */
#define CA_NOT_BEFORE	946684800LL	/* 2000-01-01T00:00:00Z */
#define CA_NOT_AFTER	4102444799LL	/* 2099-12-31T23:59:59Z */

#define KIND_MAXOIDS		4

/* What each kind puts in qcStatements, certificatePolicies and EKU. */
static const struct certgen_kind_def {
	const char	*name;
	const char	*qcs[KIND_MAXOIDS];
	const char	*policies[KIND_MAXOIDS];
	const char	*eku;
} certgen_kinds[CERTGEN_NKINDS] = {
	[CERTGEN_NES] = { "nes",
	    { OID_ETSI_QC, OID_BTK_NES1 }, { OID_POL_NES }, NULL },
	[CERTGEN_NES2] = { "nes2",
	    { OID_ETSI_QC, OID_BTK_NES2 }, { OID_POL_NES }, NULL },
	[CERTGEN_PLAIN] = { "plain",
	    { NULL }, { OID_POL_NES }, NULL },
	[CERTGEN_QC_ONLY] = { "qc-only",
	    { OID_ETSI_QC }, { OID_POL_NES }, NULL },
	[CERTGEN_BTK_ONLY] = { "btk-only",
	    { OID_BTK_NES1 }, { OID_POL_NES }, NULL },
	[CERTGEN_SEAL] = { "seal",
	    { OID_ETSI_QC, OID_BTK_NES1, OID_BTK_SEAL1 }, { OID_POL_NES },
	    NULL },
	[CERTGEN_NITELIKLI_SEAL] = { "nitelikli-seal",
	    { OID_ETSI_QC, OID_BTK_NES2, OID_BTK_SEAL2 }, { OID_POL_NES },
	    NULL },
	[CERTGEN_MALI_MUHUR] = { "mali-muhur",
	    { OID_ETSI_QC, OID_BTK_NES1 }, { OID_POL_MALI }, OID_EKU_MALI },
	[CERTGEN_POLICY_ONLY] = { "policy-only",
	    { NULL }, { OID_POL_NES, OID_ETSI_QC, OID_BTK_NES1 }, NULL },
};

static const char *certgen_formats[CERTGEN_NFORMATS] = {
	[CERTGEN_PEM] = "pem",
	[CERTGEN_DER] = "der",
	[CERTGEN_P7] = "p7",
	[CERTGEN_P7PEM] = "p7pem",
};

/* Extensions per kind: qcStatements, certificatePolicies, EKU. */
#define KIND_NEXTS	3

struct certgen {
	EVP_PKEY	*ca_key;
	X509		*ca;
	EVP_PKEY	*key;		/* every leaf's key */
	unsigned char	*pub;		/* its public point, uncompressed */
	size_t		 publen;
	X509_EXTENSION	*common[4];	/* basicConstraints, keyUsage, keyids */
	X509_EXTENSION	*kind[CERTGEN_NKINDS][KIND_NEXTS];
};

/* Set *cause to the message, with OpenSSL's first queued error if any. */
static void __attribute__((format(printf, 2, 3)))
certgen_fail(char **cause, const char *fmt, ...)
{
	va_list		 ap;
	char		*msg, ossl[256];
	unsigned long	 e;

	e = ERR_peek_error();
	if (e != 0)
		ERR_error_string_n(e, ossl, sizeof ossl);
	ERR_clear_error();
	if (cause == NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (msg != NULL && e != 0) {
		if (asprintf(cause, "%s: %s", msg, ossl) == -1)
			*cause = NULL;
		free(msg);
	} else
		*cause = msg;
}

const char *
certgen_kind_name(enum certgen_kind kind)
{
	if ((int)kind < 0 || kind >= CERTGEN_NKINDS)
		return (NULL);
	return (certgen_kinds[kind].name);
}

int
certgen_kind_parse(const char *s, enum certgen_kind *kind)
{
	int	i;

	for (i = 0; i < CERTGEN_NKINDS; i++) {
		if (strcmp(s, certgen_kinds[i].name) == 0) {
			*kind = i;
			return (0);
		}
	}
	return (-1);
}

const char *
certgen_format_name(enum certgen_format format)
{
	if ((int)format < 0 || format >= CERTGEN_NFORMATS)
		return (NULL);
	return (certgen_formats[format]);
}

int
certgen_format_parse(const char *s, enum certgen_format *format)
{
	int	i;

	for (i = 0; i < CERTGEN_NFORMATS; i++) {
		if (strcmp(s, certgen_formats[i]) == 0) {
			*format = i;
			return (0);
		}
	}
	return (-1);
}

void
certgen_tckn(unsigned long n, char out[12])
{
	unsigned long	 v;
	int		 d[11], i, odd, even, sum;

	v = 100000000UL + n % 900000000UL;
	for (i = 8; i >= 0; i--) {
		d[i] = v % 10;
		v /= 10;
	}
	odd = d[0] + d[2] + d[4] + d[6] + d[8];
	even = d[1] + d[3] + d[5] + d[7];
	/* 7*odd - even may be negative: C's % would give a negative digit. */
	d[9] = ((7 * odd - even) % 10 + 10) % 10;
	sum = 0;
	for (i = 0; i < 10; i++)
		sum += d[i];
	d[10] = sum % 10;
	for (i = 0; i < 11; i++)
		out[i] = '0' + d[i];
	out[11] = '\0';
}

/* Append a DER length to buf at *off; buf has room for 3 more bytes. */
static void
certgen_der_len(unsigned char *buf, size_t *off, size_t len)
{
	if (len < 0x80)
		buf[(*off)++] = len;
	else if (len < 0x100) {
		buf[(*off)++] = 0x81;
		buf[(*off)++] = len;
	} else {
		buf[(*off)++] = 0x82;
		buf[(*off)++] = len >> 8;
		buf[(*off)++] = len & 0xff;
	}
}

/*
 * The qcStatements extension holding one QCStatement per OID, each with
 * a statementId only. NULL with *cause set.
 */
static X509_EXTENSION *
certgen_qcstatements(const char *const *oids, char **cause)
{
	unsigned char		 body[512], der[520], *p;
	size_t			 off, inner, len;
	ASN1_OBJECT		*obj = NULL, *extobj = NULL;
	ASN1_OCTET_STRING	*os = NULL;
	X509_EXTENSION		*ext = NULL;
	int			 i, n;

	off = 0;
	for (i = 0; i < KIND_MAXOIDS && oids[i] != NULL; i++) {
		if ((obj = OBJ_txt2obj(oids[i], 1)) == NULL) {
			certgen_fail(cause, "bad OID %s", oids[i]);
			goto fail;
		}
		n = i2d_ASN1_OBJECT(obj, NULL);
		if (n <= 0 || off + n + 4 > sizeof body) {
			certgen_fail(cause, "cannot encode OID %s", oids[i]);
			goto fail;
		}
		body[off++] = 0x30;		/* SEQUENCE */
		certgen_der_len(body, &off, n);
		p = body + off;
		i2d_ASN1_OBJECT(obj, &p);
		off += n;
		ASN1_OBJECT_free(obj);
		obj = NULL;
	}
	inner = off;
	len = 0;
	der[len++] = 0x30;
	certgen_der_len(der, &len, inner);
	memcpy(der + len, body, inner);
	len += inner;

	if ((os = ASN1_OCTET_STRING_new()) == NULL ||
	    !ASN1_OCTET_STRING_set(os, der, len) ||
	    (extobj = OBJ_txt2obj(OID_QCSTATEMENTS, 1)) == NULL ||
	    (ext = X509_EXTENSION_create_by_OBJ(NULL, extobj, 0, os)) == NULL)
		certgen_fail(cause, "cannot build qcStatements");
fail:
	ASN1_OBJECT_free(obj);
	ASN1_OBJECT_free(extobj);
	ASN1_OCTET_STRING_free(os);
	return (ext);
}

/* A certificatePolicies extension with the given policy OIDs. */
static X509_EXTENSION *
certgen_policies(const char *const *oids, char **cause)
{
	CERTIFICATEPOLICIES	*pols;
	POLICYINFO		*pi;
	X509_EXTENSION		*ext = NULL;
	int			 i;

	if ((pols = sk_POLICYINFO_new_null()) == NULL)
		goto fail;
	for (i = 0; i < KIND_MAXOIDS && oids[i] != NULL; i++) {
		if ((pi = POLICYINFO_new()) == NULL)
			goto fail;
		ASN1_OBJECT_free(pi->policyid);
		if ((pi->policyid = OBJ_txt2obj(oids[i], 1)) == NULL ||
		    !sk_POLICYINFO_push(pols, pi)) {
			POLICYINFO_free(pi);
			goto fail;
		}
	}
	ext = X509V3_EXT_i2d(NID_certificate_policies, 0, pols);
fail:
	if (ext == NULL)
		certgen_fail(cause, "cannot build certificatePolicies");
	sk_POLICYINFO_pop_free(pols, POLICYINFO_free);
	return (ext);
}

/* An extendedKeyUsage extension with one purpose OID. */
static X509_EXTENSION *
certgen_eku(const char *oid, char **cause)
{
	EXTENDED_KEY_USAGE	*eku;
	ASN1_OBJECT		*obj;
	X509_EXTENSION		*ext = NULL;

	if ((eku = sk_ASN1_OBJECT_new_null()) == NULL)
		goto fail;
	if ((obj = OBJ_txt2obj(oid, 1)) == NULL)
		goto fail;
	if (!sk_ASN1_OBJECT_push(eku, obj)) {
		ASN1_OBJECT_free(obj);
		goto fail;
	}
	ext = X509V3_EXT_i2d(NID_ext_key_usage, 0, eku);
fail:
	if (ext == NULL)
		certgen_fail(cause, "cannot build extendedKeyUsage");
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return (ext);
}

/* Encode the extensions of every kind once. */
static int
certgen_kinds_init(struct certgen *cg, char **cause)
{
	const struct certgen_kind_def	*def;
	int				 k;

	for (k = 0; k < CERTGEN_NKINDS; k++) {
		def = &certgen_kinds[k];
		if (def->qcs[0] != NULL && (cg->kind[k][0] =
		    certgen_qcstatements(def->qcs, cause)) == NULL)
			return (-1);
		if (def->policies[0] != NULL && (cg->kind[k][1] =
		    certgen_policies(def->policies, cause)) == NULL)
			return (-1);
		if (def->eku != NULL &&
		    (cg->kind[k][2] = certgen_eku(def->eku, cause)) == NULL)
			return (-1);
	}
	return (0);
}

/* Give x a random positive 127-bit serial. */
static int
certgen_serial(X509 *x)
{
	unsigned char	 buf[16];
	BIGNUM		*bn;
	int		 ok;

	if (RAND_bytes(buf, sizeof buf) != 1)
		return (-1);
	buf[0] = (buf[0] & 0x7f) | 0x40;	/* positive, always 16 bytes */
	if ((bn = BN_bin2bn(buf, sizeof buf, NULL)) == NULL)
		return (-1);
	ok = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
	BN_free(bn);
	return (ok ? 0 : -1);
}

/* Add one entry to a name; MBSTRING_UTF8 lets OpenSSL pick the type. */
static int
certgen_name_add(X509_NAME *name, int nid, const char *value)
{
	return (X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8,
	    (const unsigned char *)value, -1, -1, 0) ? 0 : -1);
}

/* Add an extension given in openssl.cnf syntax, with issuer ctx. */
static int
certgen_add_conf(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX	 ctx;
	X509_EXTENSION	*ext;
	int		 ok;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL)
		return (-1);
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return (ok ? 0 : -1);
}

static EVP_PKEY *
certgen_keygen(char **cause)
{
	EVP_PKEY	*key;

	if ((key = EVP_EC_gen("P-256")) == NULL)
		certgen_fail(cause, "cannot make an EC P-256 key");
	return (key);
}

/* A fresh self-signed CA certificate for cg->ca_key. */
static int
certgen_ca_make(struct certgen *cg, char **cause)
{
	static const char *const	 pols[] = { OID_POL_NES, NULL };
	X509				*x;
	X509_NAME			*name;
	X509_EXTENSION			*pol;
	int				 ok;

	if ((x = X509_new()) == NULL)
		goto fail;
	name = X509_get_subject_name(x);
	if (!X509_set_version(x, X509_VERSION_3) ||
	    certgen_serial(x) == -1 ||
	    certgen_name_add(name, NID_countryName, "TR") == -1 ||
	    certgen_name_add(name, NID_organizationName, "Test Kamu SM") ==
	    -1 ||
	    certgen_name_add(name, NID_commonName, "NES Test Kok SM") == -1 ||
	    !X509_set_issuer_name(x, name) ||
	    ASN1_TIME_set(X509_getm_notBefore(x), CA_NOT_BEFORE) == NULL ||
	    ASN1_TIME_set(X509_getm_notAfter(x), CA_NOT_AFTER) == NULL ||
	    !X509_set_pubkey(x, cg->ca_key))
		goto fail;
	if (certgen_add_conf(x, x, NID_basic_constraints,
	    "critical,CA:TRUE,pathlen:0") == -1 ||
	    certgen_add_conf(x, x, NID_key_usage,
	    "critical,keyCertSign,cRLSign") == -1 ||
	    certgen_add_conf(x, x, NID_subject_key_identifier, "hash") == -1)
		goto fail;
	if ((pol = certgen_policies(pols, cause)) == NULL)
		goto out;
	ok = X509_add_ext(x, pol, -1);
	X509_EXTENSION_free(pol);
	if (!ok)
		goto fail;
	if (X509_sign(x, cg->ca_key, EVP_sha256()) <= 0)
		goto fail;
	cg->ca = x;
	return (0);
fail:
	certgen_fail(cause, "cannot make the test CA");
out:
	X509_free(x);
	return (-1);
}

/* Write a PEM key or certificate to path, created with mode. */
static int
certgen_save(const char *path, EVP_PKEY *key, X509 *x, mode_t mode,
    char **cause)
{
	BIO	*bio = NULL;
	FILE	*f = NULL;
	int	 fd, ok;

	if ((fd = open(path, O_WRONLY|O_CREAT|O_TRUNC, mode)) == -1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		certgen_fail(cause, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return (-1);
	}
	if ((bio = BIO_new_fp(f, BIO_NOCLOSE)) == NULL)
		ok = 0;
	else if (key != NULL)
		ok = PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL,
		    NULL);
	else
		ok = PEM_write_bio_X509(bio, x);
	BIO_free(bio);
	if (fclose(f) != 0)
		ok = 0;
	if (!ok) {
		certgen_fail(cause, "%s: cannot write", path);
		return (-1);
	}
	return (0);
}

int
certgen_mkdirs(const char *dir, mode_t mode)
{
	char	 path[PATH_MAX], *p;

	if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, mode) == -1 && errno != EEXIST)
			return (-1);
		*p = '/';
	}
	if (mkdir(path, mode) == -1 && errno != EEXIST)
		return (-1);
	return (0);
}

/* Read the CA from dir, or make it and save it there. */
static int
certgen_ca_dir(struct certgen *cg, const char *dir, char **cause)
{
	char	 keypath[PATH_MAX], crtpath[PATH_MAX], lockpath[PATH_MAX];
	BIO	*bio;
	int	 lock, rv = -1;

	if (certgen_mkdirs(dir, 0700) == -1) {
		certgen_fail(cause, "%s: %s", dir, strerror(errno));
		return (-1);
	}
	snprintf(keypath, sizeof keypath, "%s/ca.key", dir);
	snprintf(crtpath, sizeof crtpath, "%s/ca.crt", dir);
	snprintf(lockpath, sizeof lockpath, "%s/ca.lock", dir);
	/* Several nes-mkcert may start at once on one directory. */
	if ((lock = open(lockpath, O_RDWR|O_CREAT, 0600)) == -1 ||
	    flock(lock, LOCK_EX) == -1) {
		certgen_fail(cause, "%s: %s", lockpath, strerror(errno));
		if (lock != -1)
			close(lock);
		return (-1);
	}

	if (access(keypath, F_OK) == 0) {
		if ((bio = BIO_new_file(keypath, "r")) != NULL) {
			cg->ca_key = PEM_read_bio_PrivateKey(bio, NULL, NULL,
			    NULL);
			BIO_free(bio);
		}
		if ((bio = BIO_new_file(crtpath, "r")) != NULL) {
			cg->ca = PEM_read_bio_X509(bio, NULL, NULL, NULL);
			BIO_free(bio);
		}
		if (cg->ca_key == NULL || cg->ca == NULL) {
			certgen_fail(cause, "%s: cannot read ca.key and ca.crt",
			    dir);
			goto out;
		}
		if (!X509_check_private_key(cg->ca, cg->ca_key)) {
			certgen_fail(cause, "%s: ca.key does not match ca.crt",
			    dir);
			goto out;
		}
	} else {
		if ((cg->ca_key = certgen_keygen(cause)) == NULL ||
		    certgen_ca_make(cg, cause) == -1)
			goto out;
		/* The key last: its presence says both are there. */
		if (certgen_save(crtpath, NULL, cg->ca, 0644, cause) == -1 ||
		    certgen_save(keypath, cg->ca_key, NULL, 0600, cause) == -1)
			goto out;
	}
	rv = 0;
out:
	close(lock);
	return (rv);
}

/*
 * Set x's public key to the leaf key. X509_set_pubkey() costs some 180 us
 * in OpenSSL 3 (the key goes through its encoders), and so does copying a
 * certificate (through the decoders); putting the known encoding in place
 * costs nothing.
 */
static int
certgen_set_pubkey(struct certgen *cg, X509 *x)
{
	unsigned char	*pub;

	if ((pub = OPENSSL_memdup(cg->pub, cg->publen)) == NULL)
		return (-1);
	if (!X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(x),
	    OBJ_nid2obj(NID_X9_62_id_ecPublicKey), V_ASN1_OBJECT,
	    OBJ_nid2obj(NID_X9_62_prime256v1), pub, cg->publen)) {
		OPENSSL_free(pub);
		return (-1);
	}
	return (0);
}

/* The leaf key's point and the extensions all leaves share. */
static int
certgen_common_init(struct certgen *cg, char **cause)
{
	static const struct {
		int		 nid;
		const char	*value;
	} exts[4] = {
		{ NID_basic_constraints, "critical,CA:FALSE" },
		{ NID_key_usage, "critical,nonRepudiation" },
		{ NID_subject_key_identifier, "hash" },
		{ NID_authority_key_identifier, "keyid:always" },
	};
	X509		*tmpl = NULL;
	X509V3_CTX	 ctx;
	int		 i, rv = -1;

	if (!EVP_PKEY_get_octet_string_param(cg->key,
	    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, NULL, 0, &cg->publen) ||
	    (cg->pub = malloc(cg->publen)) == NULL ||
	    !EVP_PKEY_get_octet_string_param(cg->key,
	    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, cg->pub, cg->publen,
	    &cg->publen))
		goto fail;
	/* The SKI is computed from the subject's key. */
	if ((tmpl = X509_new()) == NULL || certgen_set_pubkey(cg, tmpl) == -1)
		goto fail;
	X509V3_set_ctx(&ctx, cg->ca, tmpl, NULL, NULL, 0);
	for (i = 0; i < 4; i++) {
		cg->common[i] = X509V3_EXT_conf_nid(NULL, &ctx, exts[i].nid,
		    exts[i].value);
		if (cg->common[i] == NULL)
			goto fail;
	}
	rv = 0;
fail:
	if (rv == -1)
		certgen_fail(cause, "cannot build the leaf extensions");
	X509_free(tmpl);
	return (rv);
}

struct certgen *
certgen_new(const char *dir, char **cause)
{
	struct certgen	*cg;

	if ((cg = calloc(1, sizeof *cg)) == NULL) {
		certgen_fail(cause, "%s", strerror(errno));
		return (NULL);
	}
	if (dir != NULL) {
		if (certgen_ca_dir(cg, dir, cause) == -1)
			goto fail;
	} else if ((cg->ca_key = certgen_keygen(cause)) == NULL ||
	    certgen_ca_make(cg, cause) == -1)
		goto fail;
	if ((cg->key = certgen_keygen(cause)) == NULL ||
	    certgen_common_init(cg, cause) == -1 ||
	    certgen_kinds_init(cg, cause) == -1)
		goto fail;
	return (cg);
fail:
	certgen_free(cg);
	return (NULL);
}

void
certgen_free(struct certgen *cg)
{
	int	i, j;

	if (cg == NULL)
		return;
	for (i = 0; i < CERTGEN_NKINDS; i++)
		for (j = 0; j < KIND_NEXTS; j++)
			X509_EXTENSION_free(cg->kind[i][j]);
	for (i = 0; i < 4; i++)
		X509_EXTENSION_free(cg->common[i]);
	free(cg->pub);
	EVP_PKEY_free(cg->key);
	EVP_PKEY_free(cg->ca_key);
	X509_free(cg->ca);
	free(cg);
}

X509 *
certgen_ca(struct certgen *cg)
{
	return (cg->ca);
}

/* Add a subjectAltName with one rfc822Name. */
static int
certgen_san_email(X509 *x, const char *email)
{
	GENERAL_NAMES	*gens;
	GENERAL_NAME	*gen;
	ASN1_IA5STRING	*ia5;
	int		 ok = 0;

	if ((gens = sk_GENERAL_NAME_new_null()) == NULL)
		return (-1);
	if ((gen = GENERAL_NAME_new()) == NULL)
		goto out;
	if ((ia5 = ASN1_IA5STRING_new()) == NULL ||
	    !ASN1_STRING_set(ia5, email, -1)) {
		ASN1_IA5STRING_free(ia5);
		GENERAL_NAME_free(gen);
		goto out;
	}
	GENERAL_NAME_set0_value(gen, GEN_EMAIL, ia5);
	if (!sk_GENERAL_NAME_push(gens, gen)) {
		GENERAL_NAME_free(gen);
		goto out;
	}
	ok = X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0,
	    X509V3_ADD_DEFAULT) == 1;
out:
	sk_GENERAL_NAME_pop_free(gens, GENERAL_NAME_free);
	return (ok ? 0 : -1);
}

X509 *
certgen_issue(struct certgen *cg, const struct certgen_leaf *leaf,
    char **cause)
{
	X509		*x;
	X509_NAME	*name;
	int		 i;

	if ((int)leaf->kind < 0 || leaf->kind >= CERTGEN_NKINDS) {
		certgen_fail(cause, "unknown certificate kind %d", leaf->kind);
		return (NULL);
	}
	if ((x = X509_new()) == NULL)
		goto fail;
	name = X509_get_subject_name(x);
	if (!X509_set_version(x, X509_VERSION_3) ||
	    certgen_serial(x) == -1 ||
	    !X509_set_issuer_name(x, X509_get_subject_name(cg->ca)) ||
	    certgen_set_pubkey(cg, x) == -1 ||
	    certgen_name_add(name, NID_countryName, "TR") == -1)
		goto fail;
	if (leaf->cn != NULL &&
	    certgen_name_add(name, NID_commonName, leaf->cn) == -1) {
		certgen_fail(cause, "bad CN \"%s\"", leaf->cn);
		goto out;
	}
	if (leaf->serial_number != NULL && certgen_name_add(name,
	    NID_serialNumber, leaf->serial_number) == -1) {
		certgen_fail(cause, "bad serialNumber \"%s\" (1-64 printable "
		    "characters)", leaf->serial_number);
		goto out;
	}
	if (ASN1_TIME_set(X509_getm_notBefore(x), leaf->not_before) == NULL ||
	    ASN1_TIME_set(X509_getm_notAfter(x), leaf->not_after) == NULL) {
		certgen_fail(cause, "dates out of range");
		goto out;
	}
	for (i = 0; i < 4; i++)
		if (!X509_add_ext(x, cg->common[i], -1))
			goto fail;
	for (i = 0; i < KIND_NEXTS; i++)
		if (cg->kind[leaf->kind][i] != NULL &&
		    !X509_add_ext(x, cg->kind[leaf->kind][i], -1))
			goto fail;
	if (leaf->email != NULL && certgen_san_email(x, leaf->email) == -1)
		goto fail;
	if (X509_sign(x, cg->ca_key, EVP_sha256()) <= 0)
		goto fail;
	return (x);
fail:
	certgen_fail(cause, "cannot issue the certificate");
out:
	X509_free(x);
	return (NULL);
}

unsigned char *
certgen_der(X509 *x, size_t *len, char **cause)
{
	unsigned char	*der = NULL;
	int		 n;

	if ((n = i2d_X509(x, &der)) <= 0) {
		certgen_fail(cause, "cannot encode the certificate");
		return (NULL);
	}
	*len = n;
	return (der);
}

/* A degenerate PKCS#7 signed-data (no signers) carrying the certs. */
static PKCS7 *
certgen_pkcs7(X509 **certs, size_t n)
{
	PKCS7	*p7;
	size_t	 i;

	if ((p7 = PKCS7_new()) == NULL)
		return (NULL);
	if (!PKCS7_set_type(p7, NID_pkcs7_signed) ||
	    !PKCS7_content_new(p7, NID_pkcs7_data))
		goto fail;
	for (i = 0; i < n; i++)
		if (!PKCS7_add_certificate(p7, certs[i]))
			goto fail;
	return (p7);
fail:
	PKCS7_free(p7);
	return (NULL);
}

int
certgen_encode(X509 **certs, size_t n, enum certgen_format format,
    unsigned char **out, size_t *outlen, char **cause)
{
	BIO	*bio;
	PKCS7	*p7 = NULL;
	char	*data;
	long	 len;
	size_t	 i;
	int	 ok = 1;

	if (format == CERTGEN_DER && n != 1) {
		certgen_fail(cause, "DER holds exactly one certificate, "
		    "not %zu", n);
		return (-1);
	}
	if ((bio = BIO_new(BIO_s_mem())) == NULL) {
		certgen_fail(cause, "cannot make a memory BIO");
		return (-1);
	}
	switch (format) {
	case CERTGEN_PEM:
		for (i = 0; i < n && ok; i++)
			ok = PEM_write_bio_X509(bio, certs[i]);
		break;
	case CERTGEN_DER:
		ok = i2d_X509_bio(bio, certs[0]);
		break;
	case CERTGEN_P7:
	case CERTGEN_P7PEM:
		if ((p7 = certgen_pkcs7(certs, n)) == NULL)
			ok = 0;
		else if (format == CERTGEN_P7)
			ok = i2d_PKCS7_bio(bio, p7);
		else
			ok = PEM_write_bio_PKCS7(bio, p7);
		PKCS7_free(p7);
		break;
	default:
		ok = 0;
		break;
	}
	if (!ok || (len = BIO_get_mem_data(bio, &data)) < 0 ||
	    (*out = malloc(len > 0 ? len : 1)) == NULL) {
		certgen_fail(cause, "cannot encode as %s",
		    certgen_format_name(format) ? certgen_format_name(format) :
		    "?");
		BIO_free(bio);
		return (-1);
	}
	memcpy(*out, data, len);
	*outlen = len;
	BIO_free(bio);
	return (0);
}

int
certgen_write(const char *path, X509 **certs, size_t n,
    enum certgen_format format, long long max, char **cause)
{
	unsigned char	*buf;
	size_t		 len, off;
	ssize_t		 w;
	int		 fd, saved;

	if (certgen_encode(certs, n, format, &buf, &len, cause) == -1)
		return (-1);
	if (max >= 0 && (unsigned long long)max < len)
		len = max;
	if ((fd = open(path, O_WRONLY|O_CREAT|O_TRUNC, 0644)) == -1)
		goto fail;
	for (off = 0; off < len; off += w) {
		if ((w = write(fd, buf + off, len - off)) == -1) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			saved = errno;
			close(fd);
			errno = saved;
			goto fail;
		}
	}
	if (close(fd) == -1)
		goto fail;
	free(buf);
	return (0);
fail:
	certgen_fail(cause, "%s: %s", path, strerror(errno));
	free(buf);
	return (-1);
}
