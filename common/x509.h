/*
 * x509.h - turning X.509 certificates into what nesd keeps of them.
 */
#ifndef NES_X509_H
#define NES_X509_H

#include <stddef.h>
#include <time.h>

#include "tckn.h"

enum x509_kind {
	X509_KIND_OTHER,	/* not qualified, or qualified but not Kamu SM */
	X509_KIND_NES,		/* qualified, natural person (DOMAIN.md 2) */
	X509_KIND_SEAL,		/* kurumsal / nitelikli muhur */
	X509_KIND_MALI_MUHUR,	/* Mali Muhur */
};

struct x509_info {
	char		 fingerprint[65];	/* SHA-256 of the DER, hex */
	char		*serial;		/* hex, upper case */
	char		*subject;		/* RFC 2253, UTF-8 */
	char		*issuer;
	char		*holder_name;		/* subject CN, or NULL */
	char		 tckn[TCKN_BUFSZ];	/* "" unless a valid TCKN */
	char		*other_id;		/* serialNumber that is not one */
	char		*email;			/* SAN rfc822Name, or NULL */
	time_t		 not_before;
	time_t		 not_after;
	int		 qualified;		/* ETSI QcCompliance + BTK NES */
	enum x509_kind	 kind;
	unsigned char	*der;
	size_t		 der_len;
};

/* Parse one DER certificate; NULL with *cause set when it is not one. */
struct x509_info *x509_parse_der(const unsigned char *, size_t, char **);

/*
 * Parse a buffer holding PEM (any number of CERTIFICATE or PKCS7 blocks),
 * a DER certificate or a DER PKCS#7 bundle. Returns the number of
 * certificates put in *out (an array to free with x509_list_free), or -1
 * with *cause set when the buffer holds none.
 */
int	x509_load(const unsigned char *, size_t, struct x509_info ***, char **);

void	x509_list_free(struct x509_info **, int);
void	x509_info_free(struct x509_info *);

const char *x509_kind_name(enum x509_kind);

/* The certificate as PEM text, allocated. */
char	*x509_pem(const struct x509_info *);

#endif
