/* SPDX-License-Identifier: ISC */
/*
 * validate.c - the application form's field rules, one table of (field,
 * rule). The portal checks identity against the civil registry and sends
 * its SMS code to the mobile number given, so a wrong value costs the
 * holder a failed application: nesd checks what can be checked offline
 * (DOMAIN.md 6) and says which rule a value breaks. Numbers are
 * normalised as the portal wants them: 10 digits, no leading 0.
 */

#include "autoconf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "nitems.h"
#include "nls.h"
#include "tckn.h"
#include "validate.h"


typedef enum validate_status (*validate_fn)(const char *,
    const struct validate_ctx *, char *, size_t, char *, size_t);

/* Plate codes 01-81 (ISO 3166-2:TR) in order, then other names in use. */
static const char *const validate_provinces[] = {
	"Adana", "Adıyaman", "Afyonkarahisar", "Ağrı", "Amasya", "Ankara",
	"Antalya", "Artvin", "Aydın", "Balıkesir", "Bilecik", "Bingöl",
	"Bitlis", "Bolu", "Burdur", "Bursa", "Çanakkale", "Çankırı", "Çorum",
	"Denizli", "Diyarbakır", "Edirne", "Elazığ", "Erzincan", "Erzurum",
	"Eskişehir", "Gaziantep", "Giresun", "Gümüşhane", "Hakkari", "Hatay",
	"Isparta", "Mersin", "İstanbul", "İzmir", "Kars", "Kastamonu",
	"Kayseri", "Kırklareli", "Kırşehir", "Kocaeli", "Konya", "Kütahya",
	"Malatya", "Manisa", "Kahramanmaraş", "Mardin", "Muğla", "Muş",
	"Nevşehir", "Niğde", "Ordu", "Rize", "Sakarya", "Samsun", "Siirt",
	"Sinop", "Sivas", "Tekirdağ", "Tokat", "Trabzon", "Tunceli",
	"Şanlıurfa", "Uşak", "Van", "Yozgat", "Zonguldak", "Aksaray",
	"Bayburt", "Karaman", "Kırıkkale", "Batman", "Şırnak", "Bartın",
	"Ardahan", "Iğdır", "Yalova", "Karabük", "Kilis", "Osmaniye", "Düzce",
};

static const struct validate_alias {
	const char	*name;
	int		 plate;
} validate_aliases[] = {
	{ "İçel", 33 }, { "Maraş", 46 }, { "Urfa", 63 }, { "Afyon", 3 },
};

/* Turkish letters and what they fold to. */
static const struct validate_letter {
	const char	*utf8;
	char		 ascii;
} validate_letters[] = {
	{ "İ", 'i' }, { "ı", 'i' }, { "Ş", 's' }, { "ş", 's' },
	{ "Ğ", 'g' }, { "ğ", 'g' }, { "Ç", 'c' }, { "ç", 'c' },
	{ "Ö", 'o' }, { "ö", 'o' }, { "Ü", 'u' }, { "ü", 'u' },
	{ "Â", 'a' }, { "â", 'a' }, { "Î", 'i' }, { "î", 'i' },
	{ "Û", 'u' }, { "û", 'u' },
};

/*
 * Fold a name for comparison: Turkish dotted and dotless i alike (İ, i,
 * I, ı all become i), other Turkish letters to their base letter, ASCII
 * letters to lower case by table (no locale), blanks and punctuation
 * dropped. "İZMİR", "Izmir" and "izmir" fold the same.
 */
void
validate_fold(const char *in, char *out, size_t len)
{
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 i, n = 0, l;

	while (*p != '\0' && n + 1 < len) {
		if (*p < 0x80) {
			if (isalnum(*p))
				out[n++] = (*p >= 'A' && *p <= 'Z') ?
				    *p - 'A' + 'a' : *p;
			p++;
			continue;
		}
		for (i = 0; i < nitems(validate_letters); i++) {
			l = strlen(validate_letters[i].utf8);
			if (strncmp((const char *)p, validate_letters[i].utf8,
			    l) == 0)
				break;
		}
		if (i < nitems(validate_letters)) {
			out[n++] = validate_letters[i].ascii;
			p += strlen(validate_letters[i].utf8);
		} else {
			out[n++] = '?';
			for (p++; (*p & 0xc0) == 0x80; p++)
				;
		}
	}
	out[n] = '\0';
}

int
validate_province(const char *name)
{
	char	 want[64], have[64], *end;
	long	 n;
	size_t	 i;

	n = strtol(name, &end, 10);
	if (*name != '\0' && *end == '\0')
		return (n >= 1 && n <= 81 ? (int)n : 0);
	validate_fold(name, want, sizeof(want));
	for (i = 0; i < nitems(validate_provinces); i++) {
		validate_fold(validate_provinces[i], have, sizeof(have));
		if (strcmp(want, have) == 0)
			return ((int)i + 1);
	}
	for (i = 0; i < nitems(validate_aliases); i++) {
		validate_fold(validate_aliases[i].name, have, sizeof(have));
		if (strcmp(want, have) == 0)
			return (validate_aliases[i].plate);
	}
	return (0);
}

const char *
validate_province_name(int plate)
{
	if (plate < 1 || plate > (int)nitems(validate_provinces))
		return (NULL);
	return (validate_provinces[plate - 1]);
}

int
validate_phone(const char *in, char *out)
{
	char	 d[32];
	size_t	 n = 0;
	const char *p;

	for (p = in; *p != '\0'; p++) {
		if (strchr(" ()-./", *p) != NULL)
			continue;
		if (n + 1 >= sizeof(d) || (!isdigit((unsigned char)*p) &&
		    !(*p == '+' && n == 0)))
			return (-1);
		d[n++] = *p;
	}
	d[n] = '\0';
	p = d;
	if (strncmp(p, "+90", 3) == 0)
		p += 3;
	else if (strncmp(p, "0090", 4) == 0)
		p += 4;
	else if (strlen(p) == 12 && strncmp(p, "90", 2) == 0)
		p += 2;
	else if (strlen(p) == 11 && p[0] == '0')
		p += 1;
	if (strlen(p) != 10 || strspn(p, "0123456789") != 10)
		return (-1);
	memcpy(out, p, 11);
	return (0);
}

/* Mobile prefixes (BTK numbering plan); a hint only: numbers move. */
static const struct validate_prefix {
	const char	*prefix;
	const char	*op;
} validate_prefixes[] = {
	{ "510", "virtual" }, { "516", "virtual" }, { "561", "virtual" },
	{ "501", "Türk Telekom" }, { "505", "Türk Telekom" },
	{ "506", "Türk Telekom" }, { "507", "Türk Telekom" },
	{ "55", "Türk Telekom" }, { "53", "Turkcell" }, { "54", "Vodafone" },
};

const char *
validate_operator_hint(const char *ten)
{
	size_t	 i;

	for (i = 0; ten != NULL && i < nitems(validate_prefixes); i++)
		if (strncmp(ten, validate_prefixes[i].prefix,
		    strlen(validate_prefixes[i].prefix)) == 0)
			return (validate_prefixes[i].op);
	return (NULL);
}

/* Set why from a translated format; return status. */
static enum validate_status
validate_say(enum validate_status st, char *why, size_t len,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum validate_status
validate_say(enum validate_status st, char *why, size_t len,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return (st);
}

/* A copy of value without blanks at its ends. */
static void
validate_trim(const char *v, char *out, size_t len)
{
	size_t	 n;

	while (isspace((unsigned char)*v))
		v++;
	snprintf(out, len, "%s", v);
	n = strlen(out);
	while (n > 0 && isspace((unsigned char)out[n - 1]))
		out[--n] = '\0';
}

static enum validate_status
validate_tckn(const char *value, const struct validate_ctx *ctx, char *norm,
    size_t nlen, char *why, size_t wlen)
{
	char	 v[64];
	size_t	 n = 0;

	/* "123 456 789 50", as people group it, is the same number. */
	for (; *value != '\0' && n + 1 < sizeof(v); value++)
		if (*value != ' ' && *value != '\t')
			v[n++] = *value;
	v[n] = '\0';
	snprintf(norm, nlen, "%s", v);
	if (strlen(v) != TCKN_LEN || strspn(v, "0123456789") != TCKN_LEN)
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("a TCKN is exactly 11 digits")));
	if (v[0] == '0')
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("a TCKN does not start with 0")));
	if (!tckn_valid(v))
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("the TCKN check digits (10th and 11th) do not match: a "
		    "digit is wrong")));
	return (VALIDATE_OK);
}

/* Names and places: letters, blanks, ' - . only; no digits. */
static enum validate_status
validate_name(const char *v, const struct validate_ctx *ctx, char *norm,
    size_t nlen, char *why, size_t wlen)
{
	const unsigned char	*p;

	validate_trim(v, norm, nlen);
	if (*norm == '\0')
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("must not be empty; write it exactly as in the civil "
		    "registry")));
	for (p = (const unsigned char *)norm; *p != '\0'; p++)
		if (*p < 0x80 && !isalpha(*p) && strchr(" '.-", *p) == NULL)
			return (validate_say(VALIDATE_BAD, why, wlen, "%s",
			    _("only letters, blanks, ' and - belong in a name; "
			    "write it exactly as in the civil registry")));
	return (VALIDATE_OK);
}

/* Free text the institution gives (institution, unit, title, address). */
static enum validate_status
validate_text(const char *v, const struct validate_ctx *ctx, char *norm,
    size_t nlen, char *why, size_t wlen)
{
	const unsigned char	*p;

	validate_trim(v, norm, nlen);
	if (*norm == '\0')
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("must not be empty")));
	for (p = (const unsigned char *)norm; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return (validate_say(VALIDATE_BAD, why, wlen, "%s",
			    _("must be one line of text")));
	return (VALIDATE_OK);
}

static enum validate_status
validate_registry(const char *v, const struct validate_ctx *ctx, char *norm,
    size_t nlen, char *why, size_t wlen)
{
	validate_trim(v, norm, nlen);
	if (*norm == '\0' || strlen(norm) > 20 ||
	    strspn(norm, "0123456789") != strlen(norm))
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("the registry number (sicil no) is 1 to 20 digits, as "
		    "your institution gives it")));
	return (VALIDATE_OK);
}

static int
validate_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return (29);
	return (days[m - 1]);
}

/* A date as DD.MM.YYYY or YYYY-MM-DD, stored as DD.MM.YYYY. */
static enum validate_status
validate_date(const char *v, const struct validate_ctx *ctx, char *norm,
    size_t nlen, char *why, size_t wlen)
{
	struct tm	 tm;
	int		 y, m, d, n = 0, today;

	if ((sscanf(v, "%2d.%2d.%4d%n", &d, &m, &y, &n) != 3 ||
	    (size_t)n != strlen(v) || n != 10) &&
	    (sscanf(v, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    (size_t)n != strlen(v) || n != 10))
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("a date is DD.MM.YYYY (or YYYY-MM-DD)")));
	if (y < 1900)
		return (validate_say(VALIDATE_BAD, why, wlen, _("a date of "
		    "birth in %04d cannot be a holder's: check the year (the "
		    "portal takes it as in the civil registry)"), y));
	if (m < 1 || m > 12 || d < 1 || d > validate_days(y, m))
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("no such day in the calendar")));
	snprintf(norm, nlen, "%02d.%02d.%04d", d, m, y);
	if (ctx->now != 0) {
		localtime_r(&ctx->now, &tm);
		today = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
		    tm.tm_mday;
		if (y * 10000 + m * 100 + d > today)
			return (validate_say(VALIDATE_BAD, why, wlen, "%s",
			    _("a date of birth cannot be in the future")));
	}
	return (VALIDATE_OK);
}

static enum validate_status
validate_province_rule(const char *v, const struct validate_ctx *ctx,
    char *norm, size_t nlen, char *why, size_t wlen)
{
	int	 plate = validate_province(v);

	if (plate == 0)
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("not one of the 81 provinces (il); give its name, such "
		    "as Ankara, or its plate code, such as 06")));
	snprintf(norm, nlen, "%s", validate_province_name(plate));
	return (VALIDATE_OK);
}

/* Five digits, the first two the province's plate code (DOMAIN.md 6.2). */
static enum validate_status
validate_postal(const char *v, const struct validate_ctx *ctx, char *norm,
    size_t nlen, char *why, size_t wlen)
{
	int	 pp, plate;

	snprintf(norm, nlen, "%s", v);
	if (strlen(v) != 5 || strspn(v, "0123456789") != 5)
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("a postal code is exactly 5 digits")));
	pp = (v[0] - '0') * 10 + (v[1] - '0');
	if (pp < 1 || pp > 81)
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("the first two digits of a postal code are a plate code, "
		    "01 to 81")));
	if (ctx->province == NULL ||
	    (plate = validate_province(ctx->province)) == 0 || plate == pp)
		return (VALIDATE_OK);
	if (pp == 81 && plate == 34)
		return (validate_say(VALIDATE_WARN, why, wlen, "%s",
		    _("81xxx is an old İstanbul (Asian side) code: use today's "
		    "34xxx code")));
	return (validate_say(VALIDATE_BAD, why, wlen, _("the postal code "
	    "starts with %02d (%s), but the province is %s (%02d): the first "
	    "two digits must be the province's plate code"), pp,
	    validate_province_name(pp), validate_province_name(plate), plate));
}

/* RFC 5322 atext: what a dot-atom is made of, besides the dots. */
static int
validate_atext(int c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL));
}

/* A domain label of RFC 5321: letters, digits, inner hyphens, 1-63. */
static int
validate_label(const char *p, size_t len)
{
	size_t	 i;

	if (len == 0 || len > 63 || p[0] == '-' || p[len - 1] == '-')
		return (0);
	for (i = 0; i < len; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= 'A' && p[i] <= 'Z') ||
		    (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
			return (0);
	return (1);
}

/*
 * Quoted local parts and address literals are legal in RFC 5321 but no
 * institution hands them out, and they are where injection hides: they
 * are refused, as is anything with a blank, a control character or a
 * byte past ASCII.
 */
int
validate_mailbox(const char *s)
{
	const char	*at, *p, *dot;
	size_t		 n;

	if (s == NULL || (n = strlen(s)) == 0 || n > 254 ||
	    (at = strchr(s, '@')) == NULL || at == s || at - s > 64)
		return (0);
	for (p = s; p < at; p++) {
		if (*p == '.' && p != s && p[1] != '.' && p + 1 != at)
			continue;
		if (!validate_atext((unsigned char)*p))
			return (0);
	}
	for (p = at + 1; (dot = strchr(p, '.')) != NULL; p = dot + 1)
		if (!validate_label(p, dot - p))
			return (0);
	return (validate_label(p, strlen(p)));
}

/* Free mail services: not an institution's address. */
static const char *const validate_personal_domains[] = {
	"gmail.com", "googlemail.com", "hotmail.com", "hotmail.com.tr",
	"outlook.com", "outlook.com.tr", "live.com", "msn.com", "yahoo.com",
	"yahoo.com.tr", "yandex.com", "yandex.com.tr", "icloud.com",
	"me.com", "mynet.com", "windowslive.com", "proton.me",
	"protonmail.com",
};

/* Whether the domain dom of an address ends in domain (or is it). */
static int
validate_in_domain(const char *dom, const char *domain)
{
	size_t	 dl = strlen(dom), cl = strlen(domain);

	return ((dl == cl && strcasecmp(dom, domain) == 0) ||
	    (dl > cl && dom[dl - cl - 1] == '.' &&
	    strcasecmp(dom + dl - cl, domain) == 0));
}

static enum validate_status
validate_email(const char *v, const struct validate_ctx *ctx, char *norm,
    size_t nlen, char *why, size_t wlen)
{
	const char	*at = strchr(v, '@'), *dom, *p, *dot;
	size_t		 i;

	snprintf(norm, nlen, "%s", v);
	if (strlen(v) > 254 || at == NULL || strchr(at + 1, '@') != NULL ||
	    at == v || at - v > 64)
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("an e-mail address has one @ with a name before it")));
	for (p = v; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return (validate_say(VALIDATE_BAD, why, wlen, "%s",
			    _("an e-mail address has no blanks and only ASCII "
			    "letters")));
	for (p = v; p < at; p++)
		if (*p == '.' ? p == v || p + 1 == at || p[1] == '.' :
		    !validate_atext((unsigned char)*p))
			return (validate_say(VALIDATE_BAD, why, wlen, "%s",
			    _("the name before @ may not start or end with a "
			    "dot, have two dots in a row, or hold ( ) , : ; "
			    "< > [ ] \\ or \"")));
	dom = at + 1;
	for (p = dom; (dot = strchr(p, '.')) != NULL &&
	    validate_label(p, dot - p); p = dot + 1)
		;
	if (dot != NULL || p == dom || !validate_label(p, strlen(p)))
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("the part after @ must be a domain such as meb.gov.tr: "
		    "names of letters, digits and inner hyphens, joined by "
		    "dots")));
	if (ctx->email_domain != NULL && *ctx->email_domain != '\0') {
		if (validate_in_domain(dom, ctx->email_domain))
			return (VALIDATE_OK);
		return (validate_say(VALIDATE_WARN, why, wlen, _("not an "
		    "address of your institution (%s): Kamu SM sends the "
		    "form's password there, and institutions usually want "
		    "their own address"), ctx->email_domain));
	}
	for (i = 0; i < nitems(validate_personal_domains); i++)
		if (validate_in_domain(dom, validate_personal_domains[i]))
			return (validate_say(VALIDATE_WARN, why, wlen,
			    _("%s is a personal address: the form goes to your "
			    "institution, which approves against its records "
			    "and usually wants its own address (such as "
			    "name@meb.gov.tr); Kamu SM writes to the address "
			    "given"), dom));
	return (VALIDATE_OK);
}

/* Any Turkish number: geographic (2, 3, 4), mobile (5) or 850. */
static enum validate_status
validate_phone_rule(const char *v, const struct validate_ctx *ctx,
    char *norm, size_t nlen, char *why, size_t wlen)
{
	char	 ten[11];

	if (validate_phone(v, ten) != 0)
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("a Turkish number has 10 digits without the leading 0 "
		    "(or +90)")));
	snprintf(norm, nlen, "%s", ten);
	if (strchr("2345", ten[0]) == NULL && strncmp(ten, "850", 3) != 0)
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("not a Turkish telephone number: it starts with an area "
		    "code (2, 3, 4), 5 for a mobile, or 850")));
	return (VALIDATE_OK);
}

static enum validate_status
validate_mobile(const char *v, const struct validate_ctx *ctx, char *norm,
    size_t nlen, char *why, size_t wlen)
{
	char	 ten[11];

	if (validate_phone(v, ten) != 0)
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("a Turkish number has 10 digits without the leading 0 "
		    "(or +90)")));
	snprintf(norm, nlen, "%s", ten);
	if (ten[0] != '5')
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("a mobile number starts with 5; the portal sends the SMS "
		    "code there")));
	if (validate_operator_hint(ten) == NULL)
		return (validate_say(VALIDATE_WARN, why, wlen, "%s",
		    _("no operator uses this 5xx prefix that nesd knows of: "
		    "check the number, the SMS code goes there")));
	return (VALIDATE_OK);
}

static enum validate_status
validate_extension(const char *v, const struct validate_ctx *ctx,
    char *norm, size_t nlen, char *why, size_t wlen)
{
	snprintf(norm, nlen, "%s", v);
	if (*v == '\0' || strlen(v) > 6 || strspn(v, "0123456789") != strlen(v))
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("an extension (dahili) is 1 to 6 digits")));
	return (VALIDATE_OK);
}

/* One of a few words, folded; norm gets the form's own spelling. */
struct validate_choice {
	const char	*folded;
	const char	*value;
};

static const struct validate_choice validate_operators[] = {
	{ "turkcell", "Turkcell" }, { "vodafone", "Vodafone" },
	{ "turktelekom", "Türk Telekom" }, { "tt", "Türk Telekom" },
	{ "avea", "Türk Telekom" },
};
static const struct validate_choice validate_readers[] = {
	{ "mini", "Mini Kart Okuyucu" }, { "minikartokuyucu",
	"Mini Kart Okuyucu" }, { "none", "İstenmedi" },
	{ "istenmedi", "İstenmedi" }, { "no", "İstenmedi" },
};
static const struct validate_choice validate_channels[] = {
	{ "eposta", "E-posta" }, { "email", "E-posta" }, { "sms", "SMS" },
	{ "both", "Her ikisi (E-posta+SMS)" },
	{ "epostavesms", "Her ikisi (E-posta+SMS)" },
	{ "herikisi", "Her ikisi (E-posta+SMS)" },
	{ "herikisiepostasms", "Her ikisi (E-posta+SMS)" },
	{ "herikisismseposta", "Her ikisi (E-posta+SMS)" },
};
static const struct validate_choice validate_durations[] = {
	{ "1", "1" }, { "2", "2" }, { "3", "3" },
	{ "1yil", "1" }, { "2yil", "2" }, { "3yil", "3" },
	{ "1year", "1" }, { "2years", "2" }, { "3years", "3" },
};
static const struct validate_choice validate_publish[] = {
	{ "evet", "Evet" }, { "yes", "Evet" },
	{ "hayir", "Hayır" }, { "no", "Hayır" },
};

/*
 * The choice v names, whole or without a parenthesised tail: the portal
 * shows "3 Yıl (170.0 + KDV)" and "Her ikisi (E-posta+SMS)".
 */
static const char *
validate_choose(const struct validate_choice *c, size_t n, const char *v)
{
	char	 f[64], head[64];
	size_t	 i;

	validate_fold(v, f, sizeof(f));
	snprintf(head, sizeof(head), "%.*s", (int)strcspn(v, "("), v);
	for (i = 0; i < n; i++)
		if (strcmp(c[i].folded, f) == 0)
			return (c[i].value);
	validate_fold(head, f, sizeof(f));
	for (i = 0; i < n && strchr(v, '(') != NULL; i++)
		if (strcmp(c[i].folded, f) == 0)
			return (c[i].value);
	return (NULL);
}

static enum validate_status
validate_operator(const char *v, const struct validate_ctx *ctx, char *norm,
    size_t nlen, char *why, size_t wlen)
{
	const char	*op, *hint;
	char		 ten[11];

	if ((op = validate_choose(validate_operators,
	    nitems(validate_operators), v)) == NULL)
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",
		    _("the operator is Turkcell, Vodafone or Türk Telekom")));
	snprintf(norm, nlen, "%s", op);
	if (ctx->mobile == NULL || validate_phone(ctx->mobile, ten) != 0 ||
	    (hint = validate_operator_hint(ten)) == NULL ||
	    strcmp(hint, op) == 0)
		return (VALIDATE_OK);
	return (validate_say(VALIDATE_WARN, why, wlen, _("the mobile number's "
	    "prefix %.3s was given to %s; numbers move between operators, so "
	    "this is only a hint: check which operator you use now"), ten,
	    strcmp(hint, "virtual") == 0 ? _("a virtual operator") : hint));
}

/* Rules that are one of a few words. */
#define VALIDATE_CHOICE(fn, table, msg)					\
static enum validate_status						\
fn(const char *v, const struct validate_ctx *ctx, char *norm,		\
    size_t nlen, char *why, size_t wlen)				\
{									\
	const char	*c = validate_choose(table, nitems(table), v);	\
									\
	if (c == NULL)							\
		return (validate_say(VALIDATE_BAD, why, wlen, "%s",	\
		    _(msg)));						\
	snprintf(norm, nlen, "%s", c);					\
	return (VALIDATE_OK);						\
}
VALIDATE_CHOICE(validate_reader, validate_readers,
    N_("the card reader is mini (Mini Kart Okuyucu) or none (İstenmedi)"))
VALIDATE_CHOICE(validate_channel, validate_channels,
    N_("the information channel is e-posta, sms or both"))
VALIDATE_CHOICE(validate_duration, validate_durations,
    N_("the certificate lasts 1, 2 or 3 years (3 is usual)"))
VALIDATE_CHOICE(validate_publish_rule, validate_publish,
    N_("whether the certificate is published (İnternette Yayınlansın mı?) "
    "is evet or hayır"))

/* "Adıyaman, Ankara": the provinces that have district name, into buf. */
static void
validate_district_provinces(const char *name, char *buf, size_t len)
{
	size_t	 off = 0;
	int	 plate = 0;

	buf[0] = '\0';
	while ((plate = validate_district_where(name, plate)) != 0 &&
	    off < len)
		off += snprintf(buf + off, len - off, "%s%s", off > 0 ? ", " :
		    "", validate_province_name(plate));
}

/* A district of the province, when it is known; else of any province. */
static enum validate_status
validate_district_rule(const char *v, const struct validate_ctx *ctx,
    char *norm, size_t nlen, char *why, size_t wlen)
{
	char	 where[256];
	int	 plate = 0, first;

	if (ctx->province != NULL)
		plate = validate_province(ctx->province);
	validate_trim(v, norm, nlen);
	if (plate != 0 && validate_district(plate, norm, norm, nlen))
		return (VALIDATE_OK);
	first = validate_district_where(norm, 0);
	if (plate == 0 && first != 0) {
		validate_district(first, norm, norm, nlen);
		return (VALIDATE_OK);
	}
	if (first != 0) {
		validate_district_provinces(norm, where, sizeof(where));
		return (validate_say(VALIDATE_BAD, why, wlen, _("%s is a "
		    "district (ilçe) of %s, not of %s: set the province first, "
		    "or give a district of %s"), norm, where,
		    validate_province_name(plate),
		    validate_province_name(plate)));
	}
	if (plate != 0)
		return (validate_say(VALIDATE_BAD, why, wlen, _("not one of "
		    "the %zu districts (ilçe) of %s; the central one is "
		    "\"Merkez\" where there is one"), validate_district_count(plate),
		    validate_province_name(plate)));
	return (validate_say(VALIDATE_BAD, why, wlen, "%s", _("not a district "
	    "(ilçe) of any of the 81 provinces")));
}

static enum validate_status
validate_secret(const char *v, const struct validate_ctx *ctx, char *norm,
    size_t nlen, char *why, size_t wlen)
{
	*norm = '\0';
	return (validate_say(VALIDATE_BAD, why, wlen, "%s", _("nesd never "
	    "stores the security word (güvenlik sözcüğü): it is a secret. "
	    "Type it on the form yourself, twice, and remember it: Şifreli "
	    "Giriş to the NES online services asks for it later.")));
}

static const struct validate_rule {
	const char	*field;
	validate_fn	 fn;
} validate_rules[] = {
	{ "card_reader", validate_reader },
	{ "duration", validate_duration },
	{ "tckn", validate_tckn },
	{ "name", validate_name },
	{ "surname", validate_name },
	{ "birth_place", validate_name },
	{ "birth_date", validate_date },
	{ "institution", validate_text },
	{ "registry_no", validate_registry },
	{ "unit", validate_text },
	{ "title", validate_text },
	{ "address", validate_text },
	{ "province", validate_province_rule },
	{ "district", validate_district_rule },
	{ "postal_code", validate_postal },
	{ "email", validate_email },
	{ "work_phone", validate_phone_rule },
	{ "extension", validate_extension },
	{ "mobile_phone", validate_mobile },
	{ "operator", validate_operator },
	{ "home_phone", validate_phone_rule },
	{ "info_channel", validate_channel },
	{ "publish", validate_publish_rule },
	{ "neighbourhood", validate_text },
	{ "street", validate_text },
	{ "building", validate_text },
	{ "door", validate_text },
	{ "security_word", validate_secret },
};

const char *const validate_fields[] = {
	"card_reader", "duration", "tckn", "name", "surname", "birth_place",
	"birth_date", "institution", "registry_no", "unit", "title", "address",
	"province", "district", "postal_code", "email", "work_phone",
	"extension", "mobile_phone", "operator", "home_phone", "info_channel",
	"publish", "neighbourhood", "street", "building", "door", NULL
};

/* The portal's labels (and their usual spellings), folded, as fields. */
static const struct validate_choice validate_labels[] = {
	{ "kimlikno", "tckn" }, { "tckimlikno", "tckn" }, { "adi", "name" },
	{ "ad", "name" }, { "soyadi", "surname" }, { "soyad", "surname" },
	{ "dogumyeri", "birth_place" }, { "dogumtarihi", "birth_date" },
	{ "kurumadi", "institution" }, { "kurum", "institution" },
	{ "kurumsicilno", "registry_no" }, { "sicilno", "registry_no" },
	{ "calistigibirim", "unit" }, { "birim", "unit" },
	{ "unvan", "title" }, { "kurumbirimadresi", "address" },
	{ "adres", "address" }, { "il", "province" }, { "ilce", "district" },
	{ "postakodu", "postal_code" }, { "eposta", "email" },
{ "istelefonu", "work_phone" },
	{ "dahili", "extension" }, { "ceptelefonu", "mobile_phone" },
	{ "mobiloperatortipi", "operator" }, { "operatortipi", "operator" },
	{ "operator", "operator" }, { "evtelefonu", "home_phone" },
	{ "bilgikanali", "info_channel" }, { "kartokuyucutipi",
	"card_reader" }, { "sertifikasuresi", "duration" },
	{ "guvenliksozcugu", "security_word" },
};

const char *
validate_field_name(const char *in)
{
	const char	*f;

	if (validate_known(in))
		return (in);
	if ((f = validate_choose(validate_labels, nitems(validate_labels),
	    in)) != NULL)
		return (f);
	return (NULL);
}

int
validate_known(const char *field)
{
	size_t	 i;

	for (i = 0; i < nitems(validate_rules); i++)
		if (strcmp(validate_rules[i].field, field) == 0)
			return (1);
	return (0);
}

enum validate_status
validate_field(const char *field, const char *value,
    const struct validate_ctx *ctx, char *norm, size_t nlen, char *why,
    size_t wlen)
{
	size_t	 i;

	*why = '\0';
	snprintf(norm, nlen, "%s", value);
	for (i = 0; i < nitems(validate_rules); i++)
		if (strcmp(validate_rules[i].field, field) == 0)
			return (validate_rules[i].fn(value, ctx, norm, nlen,
			    why, wlen));
	return (validate_say(VALIDATE_BAD, why, wlen, _("no such field: %s"),
	    field));
}
