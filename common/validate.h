/*
 * validate.h - the rules of the Kamu SM application form's fields
 * (DOMAIN.md 6): TCKN, postal code against the province, telephone
 * numbers and the operator hint, e-mail, dates and the plain text fields.
 */
#ifndef NES_VALIDATE_H
#define NES_VALIDATE_H

#include <stddef.h>
#include <time.h>

enum validate_status {
	VALIDATE_OK,
	VALIDATE_WARN,		/* usable, but look again */
	VALIDATE_BAD,		/* the portal would refuse it, or worse */
};

/* What a field's rule may look at besides its value. */
struct validate_ctx {
	const char	*province;	/* for the postal code */
	const char	*mobile;	/* for the operator */
	const char	*email_domain;	/* institutional domain, or NULL */
	time_t		 now;		/* for dates; 0: no future check */
};

#define VALIDATE_WHY	256

/*
 * Check value for field. norm receives the value as it should be stored
 * (phones as 10 digits, the province's own spelling, ...); why, when the
 * status is not VALIDATE_OK, says which rule and why, translated. An
 * unknown field is VALIDATE_BAD with a list of the fields.
 */
enum validate_status validate_field(const char *, const char *,
	    const struct validate_ctx *, char *, size_t, char *, size_t);
/* Whether field is one of the form's fields (the security word is). */
int		 validate_known(const char *);
/*
 * The field a name means: a field's own name, or the portal's label for
 * it in any case and spacing ("Kurum Sicil No", "ADI", "Bilgi Kanalı").
 * NULL when it is neither.
 */
const char	*validate_field_name(const char *);
/* The fields, in the portal's order, NULL-terminated. */
extern const char *const validate_fields[];

/* Plate code 1-81 of a province name or number, 0 if none. */
int		 validate_province(const char *);
/* A province's name by plate code, NULL if none. */
const char	*validate_province_name(int);
/*
 * Whether value names a district (ilçe) of the province of plate: 1 with
 * its official spelling in norm ("Aksaray Merkez" for the central
 * district), 0 if not. Old names and the usual spellings count.
 */
int		 validate_district(int, const char *, char *, size_t);
/* The first province after plate after that has district value, or 0. */
int		 validate_district_where(const char *, int);
/* How many districts the province of plate has (0: no such plate). */
size_t		 validate_district_count(int);
/* District i of plate's province into buf, or NULL past the last. */
const char	*validate_district_name(int, size_t, char *, size_t);
/* Lower-case ASCII skeleton for comparing Turkish names. */
void		 validate_fold(const char *, char *, size_t);
/* A Turkish number as 10 digits into out (11 bytes); 0 or -1. */
int		 validate_phone(const char *, char *);
/* The operator a mobile number's prefix suggests, or NULL. */
const char	*validate_operator_hint(const char *);
/*
 * Whether s is a mailbox nesd may put into SMTP and a header: RFC 5321's
 * Local-part "@" Domain in its plain form (a dot-atom, a domain of
 * letter-digit-hyphen labels), nothing else. 1 if so, 0 if not.
 */
int		 validate_mailbox(const char *);

#endif
