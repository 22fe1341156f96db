/* SPDX-License-Identifier: ISC */
/*
 * x509.c - what nesd keeps of an X.509 certificate: fingerprint, names,
 * holder identity, validity, and whether it is a Kamu SM NES (DOMAIN.md 2).
 * The only file that parses certificates.
 */

#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "validate.h"
#include "x509.h"
#include "xmalloc.h"

#define OID_QC_STATEMENTS	"1.3.6.1.5.5.7.1.3"
#define OID_ETSI_QC_COMPLIANCE	"0.4.0.1862.1.1"
#define OID_BTK_NES_1		"2.16.792.1.61.0.1.5070.1.1"
#define OID_BTK_SEAL_1		"2.16.792.1.61.0.1.5070.1.3"
#define OID_BTK_NES_2		"2.16.792.1.61.0.1.5070.2.1"
#define OID_BTK_SEAL_2		"2.16.792.1.61.0.1.5070.2.2"
#define OID_MALI_POLICY		"2.16.792.1.2.1.1.5.7.4.1"
#define OID_MALI_EKU_SIGN	"2.16.792.1.2.1.1.5.7.50.1"
#define OID_MALI_EKU_ENCR	"2.16.792.1.2.1.1.5.7.50.2"

/* Bits of what the extensions say, for the classification. */
#define X509_F_ETSI	0x01
#define X509_F_BTK1	0x02
#define X509_F_SEAL1	0x04
#define X509_F_BTK2	0x08
#define X509_F_SEAL2	0x10
#define X509_F_MALI	0x20

static const struct {
	const char	*oid;
	int		 flag;
} x509_qc_oids[] = {
	{ OID_ETSI_QC_COMPLIANCE, X509_F_ETSI },
	{ OID_BTK_NES_1, X509_F_BTK1 },
	{ OID_BTK_SEAL_1, X509_F_SEAL1 },
	{ OID_BTK_NES_2, X509_F_BTK2 },
	{ OID_BTK_SEAL_2, X509_F_SEAL2 },
};

const char *
x509_kind_name(enum x509_kind kind)
{
	switch (kind) {
	case X509_KIND_NES:
		return ("nes");
	case X509_KIND_SEAL:
		return ("seal");
	case X509_KIND_MALI_MUHUR:
		return ("mali_muhur");
	case X509_KIND_OTHER:
		break;
	}
	return ("other");
}

/* The dotted text of an OID, into buf. */
static void
x509_oid_text(const ASN1_OBJECT *obj, char *buf, int len)
{
	if (OBJ_obj2txt(buf, len, obj, 1) <= 0)
		buf[0] = '\0';
}

/* Flags for the statement ids inside a qcStatements extension value. */
static int
x509_qc_flags(const ASN1_OCTET_STRING *value)
{
	STACK_OF(ASN1_TYPE)	*seq, *stmt;
	const unsigned char	*p;
	ASN1_TYPE		*t, *first;
	char			 oid[128];
	int			 i, flags = 0;
	size_t			 k;

	p = ASN1_STRING_get0_data(value);
	seq = d2i_ASN1_SEQUENCE_ANY(NULL, &p, ASN1_STRING_length(value));
	if (seq == NULL)
		return (0);
	for (i = 0; i < sk_ASN1_TYPE_num(seq); i++) {
		t = sk_ASN1_TYPE_value(seq, i);
		if (t->type != V_ASN1_SEQUENCE)
			continue;
		p = t->value.sequence->data;
		stmt = d2i_ASN1_SEQUENCE_ANY(NULL, &p,
		    t->value.sequence->length);
		if (stmt == NULL)
			continue;
		first = sk_ASN1_TYPE_num(stmt) > 0 ?
		    sk_ASN1_TYPE_value(stmt, 0) : NULL;
		if (first != NULL && first->type == V_ASN1_OBJECT) {
			x509_oid_text(first->value.object, oid, sizeof(oid));
			for (k = 0; k < sizeof(x509_qc_oids) /
			    sizeof(x509_qc_oids[0]); k++)
				if (strcmp(oid, x509_qc_oids[k].oid) == 0)
					flags |= x509_qc_oids[k].flag;
		}
		sk_ASN1_TYPE_pop_free(stmt, ASN1_TYPE_free);
	}
	sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
	return (flags);
}

/* X509_F_MALI when the policies or extended key usages say Mali Muhur. */
static int
x509_mali_flags(X509 *x)
{
	CERTIFICATEPOLICIES	*pols;
	EXTENDED_KEY_USAGE	*eku;
	char			 oid[128];
	int			 i, flags = 0;

	pols = X509_get_ext_d2i(x, NID_certificate_policies, NULL, NULL);
	for (i = 0; pols != NULL && i < sk_POLICYINFO_num(pols); i++) {
		x509_oid_text(sk_POLICYINFO_value(pols, i)->policyid, oid,
		    sizeof(oid));
		if (strcmp(oid, OID_MALI_POLICY) == 0)
			flags |= X509_F_MALI;
	}
	CERTIFICATEPOLICIES_free(pols);
	eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
	for (i = 0; eku != NULL && i < sk_ASN1_OBJECT_num(eku); i++) {
		x509_oid_text(sk_ASN1_OBJECT_value(eku, i), oid, sizeof(oid));
		if (strcmp(oid, OID_MALI_EKU_SIGN) == 0 ||
		    strcmp(oid, OID_MALI_EKU_ENCR) == 0)
			flags |= X509_F_MALI;
	}
	EXTENDED_KEY_USAGE_free(eku);
	return (flags);
}

/* Classify by qcStatements, policies and EKU (DOMAIN.md 2). */
static void
x509_classify(X509 *x, struct x509_info *info)
{
	ASN1_OBJECT		*qc;
	X509_EXTENSION		*ext;
	int			 flags = 0, idx;

	qc = OBJ_txt2obj(OID_QC_STATEMENTS, 1);
	idx = X509_get_ext_by_OBJ(x, qc, -1);
	ASN1_OBJECT_free(qc);
	if (idx >= 0) {
		ext = X509_get_ext(x, idx);
		flags |= x509_qc_flags(X509_EXTENSION_get_data(ext));
	}
	flags |= x509_mali_flags(x);

	info->qualified = (flags & X509_F_ETSI) &&
	    (flags & (X509_F_BTK1 | X509_F_BTK2));
	if (flags & X509_F_MALI)
		info->kind = X509_KIND_MALI_MUHUR;
	else if (info->qualified && (((flags & X509_F_BTK1) &&
	    (flags & X509_F_SEAL1)) || ((flags & X509_F_BTK2) &&
	    (flags & X509_F_SEAL2))))
		info->kind = X509_KIND_SEAL;
	else if (info->qualified)
		info->kind = X509_KIND_NES;
	else
		info->kind = X509_KIND_OTHER;
}

/* An X509_NAME as RFC 2253 text with UTF-8 kept, allocated. */
static char *
x509_name_text(const X509_NAME *name)
{
	BIO	*bio;
	char	*data, *s;
	long	 len;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return (xstrdup(""));
	X509_NAME_print_ex(bio, name, 0,
	    XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	/* An empty DN prints nothing, and the BIO has no data at all. */
	len = BIO_get_mem_data(bio, &data);
	s = len > 0 && data != NULL ? xstrndup(data, len) : xstrdup("");
	BIO_free(bio);
	return (s);
}

/* The UTF-8 value of the first attribute nid of name, or NULL. */
static char *
x509_name_entry(const X509_NAME *name, int nid)
{
	X509_NAME_ENTRY	*e;
	unsigned char	*utf8;
	char		*s;
	int		 idx, len;

	if ((idx = X509_NAME_get_index_by_NID(name, nid, -1)) < 0)
		return (NULL);
	e = X509_NAME_get_entry(name, idx);
	len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
	if (len < 0)
		return (NULL);
	s = xstrndup((char *)utf8, len);
	OPENSSL_free(utf8);
	return (s);
}

/*
 * The first rfc822Name of the subjectAltName, or NULL. The address goes
 * into SMTP commands and mail headers later: whoever made the certificate
 * chose its bytes, so one with a NUL, a line break or anything else that
 * is not a plain RFC 5321 mailbox is not taken.
 */
static char *
x509_email(X509 *x)
{
	GENERAL_NAMES	*names;
	GENERAL_NAME	*gn;
	char		*s = NULL;
	int		 i, len;

	names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	for (i = 0; names != NULL && i < sk_GENERAL_NAME_num(names); i++) {
		gn = sk_GENERAL_NAME_value(names, i);
		if (gn->type != GEN_EMAIL)
			continue;
		len = ASN1_STRING_length(gn->d.rfc822Name);
		s = xstrndup((const char *)ASN1_STRING_get0_data(
		    gn->d.rfc822Name), len);
		if ((int)strlen(s) != len || !validate_mailbox(s)) {
			free(s);
			s = NULL;
		}
		break;
	}
	GENERAL_NAMES_free(names);
	return (s);
}

static int
x509_time(const ASN1_TIME *t, time_t *out)
{
	struct tm	 tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return (-1);
	*out = timegm(&tm);
	return (0);
}

static char *
x509_serial_hex(X509 *x)
{
	BIGNUM	*bn;
	char	*hex, *s;

	bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	if (bn == NULL || (hex = BN_bn2hex(bn)) == NULL) {
		BN_free(bn);
		return (xstrdup(""));
	}
	s = xstrdup(hex);
	OPENSSL_free(hex);
	BN_free(bn);
	return (s);
}

/* Fill info from a parsed certificate; -1 with *cause when unusable. */
static int
x509_fill(X509 *x, struct x509_info *info, char **cause)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen, i;
	char		*sn;

	if (x509_time(X509_get0_notBefore(x), &info->not_before) != 0 ||
	    x509_time(X509_get0_notAfter(x), &info->not_after) != 0) {
		xasprintf(cause, "certificate has an unreadable validity date");
		return (-1);
	}
	if (!X509_digest(x, EVP_sha256(), md, &mdlen)) {
		xasprintf(cause, "cannot compute the certificate's digest");
		return (-1);
	}
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(info->fingerprint + 2 * i, 3, "%02x", md[i]);
	info->serial = x509_serial_hex(x);
	info->subject = x509_name_text(X509_get_subject_name(x));
	info->issuer = x509_name_text(X509_get_issuer_name(x));
	info->holder_name = x509_name_entry(X509_get_subject_name(x),
	    NID_commonName);
	sn = x509_name_entry(X509_get_subject_name(x), NID_serialNumber);
	if (sn != NULL && !tckn_from_serial(sn, info->tckn))
		info->other_id = xstrdup(sn);
	free(sn);
	info->email = x509_email(x);
	x509_classify(x, info);
	return (0);
}

/* The outer DER header's claim, to tell truncated data from garbage. */
static void
x509_der_cause(const unsigned char *buf, size_t len, char **cause)
{
	const unsigned char	*p = buf;
	long			 olen = -1;
	int			 tag, xclass, ret;

	if (len == 0 || buf[0] != 0x30) {
		xasprintf(cause, "not a certificate: neither PEM nor DER data");
		return;
	}
	ret = ASN1_get_object(&p, &olen, &tag, &xclass, (long)len);
	if (ret & 0x80 && olen < 0)
		xasprintf(cause, "truncated DER: the data ends inside its "
		    "first header (%zu bytes)", len);
	else if (ret & 0x80)
		xasprintf(cause, "truncated DER: it announces %ld bytes, only "
		    "%zu follow", olen, len - (size_t)(p - buf));
	else
		xasprintf(cause, "DER data is neither an X.509 certificate nor "
		    "a PKCS#7 bundle");
}

struct x509_info *
x509_parse_der(const unsigned char *buf, size_t len, char **cause)
{
	const unsigned char	*p = buf;
	struct x509_info	*info;
	X509			*x;

	x = d2i_X509(NULL, &p, (long)len);
	if (x == NULL) {
		x509_der_cause(buf, len, cause);
		return (NULL);
	}
	if (p != buf + len) {
		xasprintf(cause, "%zu bytes of trailing data after the "
		    "certificate", len - (size_t)(p - buf));
		X509_free(x);
		return (NULL);
	}
	info = xcalloc(1, sizeof(*info));
	if (x509_fill(x, info, cause) != 0) {
		X509_free(x);
		x509_info_free(info);
		return (NULL);
	}
	info->der = xmalloc(len);
	memcpy(info->der, buf, len);
	info->der_len = len;
	X509_free(x);
	return (info);
}

void
x509_info_free(struct x509_info *info)
{
	if (info == NULL)
		return;
	free(info->serial);
	free(info->subject);
	free(info->issuer);
	free(info->holder_name);
	free(info->other_id);
	free(info->email);
	free(info->der);
	free(info);
}

void
x509_list_free(struct x509_info **list, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		x509_info_free(list[i]);
	free(list);
}

/* A growing list of parsed certificates and the first failure seen. */
struct x509_acc {
	struct x509_info	**list;
	int			  n;
	char			 *cause;
};

static void
x509_acc_der(struct x509_acc *acc, const unsigned char *der, size_t len)
{
	struct x509_info	*info;
	char			*cause = NULL;

	if ((info = x509_parse_der(der, len, &cause)) == NULL) {
		if (acc->cause == NULL)
			acc->cause = cause;
		else
			free(cause);
		return;
	}
	acc->list = xreallocarray(acc->list, acc->n + 1, sizeof(*acc->list));
	acc->list[acc->n++] = info;
}

/* Every certificate of a DER PKCS#7 bundle; -1 if it is not one. */
static int
x509_acc_pkcs7(struct x509_acc *acc, const unsigned char *der, size_t len)
{
	const unsigned char	*p = der;
	PKCS7			*p7;
	STACK_OF(X509)		*certs = NULL;
	unsigned char		*out;
	int			 i, olen;

	if ((p7 = d2i_PKCS7(NULL, &p, (long)len)) == NULL)
		return (-1);
	if (PKCS7_type_is_signed(p7) && p7->d.sign != NULL)
		certs = p7->d.sign->cert;
	for (i = 0; certs != NULL && i < sk_X509_num(certs); i++) {
		out = NULL;
		if ((olen = i2d_X509(sk_X509_value(certs, i), &out)) > 0)
			x509_acc_der(acc, out, olen);
		OPENSSL_free(out);
	}
	if ((certs == NULL || sk_X509_num(certs) == 0) && acc->cause == NULL)
		xasprintf(&acc->cause, "PKCS#7 bundle holds no certificate");
	PKCS7_free(p7);
	return (0);
}

/* Every CERTIFICATE and PKCS7 block of PEM text. */
static void
x509_acc_pem(struct x509_acc *acc, const unsigned char *buf, size_t len)
{
	BIO		*bio;
	char		*name, *header, *others = NULL;
	unsigned char	*data;
	long		 dlen;

	bio = BIO_new_mem_buf(buf, (int)len);
	while (bio != NULL &&
	    PEM_read_bio(bio, &name, &header, &data, &dlen) == 1) {
		if (strcmp(name, PEM_STRING_X509) == 0 ||
		    strcmp(name, PEM_STRING_X509_OLD) == 0)
			x509_acc_der(acc, data, dlen);
		else if (strcmp(name, PEM_STRING_PKCS7) == 0 ||
		    strcmp(name, PEM_STRING_PKCS7_SIGNED) == 0)
			x509_acc_pkcs7(acc, data, dlen);
		else if (others == NULL)
			others = xstrdup(name);
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_free(data);
	}
	BIO_free(bio);
	if (acc->n == 0 && acc->cause == NULL) {
		if (others != NULL)
			xasprintf(&acc->cause, "no certificate in PEM data "
			    "(found %s)", others);
		else
			xasprintf(&acc->cause, "no certificate in PEM data "
			    "(damaged or empty block)");
	}
	free(others);
}

int
x509_load(const unsigned char *buf, size_t len, struct x509_info ***out,
    char **cause)
{
	struct x509_acc	 acc = { NULL, 0, NULL };

	*out = NULL;
	if (len == 0) {
		xasprintf(cause, "empty file");
		return (-1);
	}
	if (memmem(buf, len, "-----BEGIN ", 11) != NULL)
		x509_acc_pem(&acc, buf, len);
	else if (buf[0] == 0x30) {
		x509_acc_der(&acc, buf, len);
		if (acc.n == 0)
			(void)x509_acc_pkcs7(&acc, buf, len);
	} else
		x509_der_cause(buf, len, &acc.cause);
	if (acc.n == 0) {
		*cause = acc.cause;
		free(acc.list);
		return (-1);
	}
	free(acc.cause);
	*out = acc.list;
	return (acc.n);
}

char *
x509_pem(const struct x509_info *info)
{
	static const char	 head[] = "-----BEGIN CERTIFICATE-----\n";
	static const char	 tail[] = "-----END CERTIFICATE-----\n";
	char			*pem, *p;
	size_t			 off, chunk, lines;

	lines = (info->der_len + 47) / 48;
	pem = xmalloc(sizeof(head) + sizeof(tail) + lines * 66);
	p = stpcpy(pem, head);
	for (off = 0; off < info->der_len; off += chunk) {
		chunk = info->der_len - off > 48 ? 48 : info->der_len - off;
		p += EVP_EncodeBlock((unsigned char *)p, info->der + off,
		    (int)chunk);
		*p++ = '\n';
	}
	stpcpy(p, tail);
	return (pem);
}
