/* SPDX-License-Identifier: ISC */
/*
 * nes-mkcert.c - make test certificates for the regress scripts, the demo
 * and the benchmarks: NES look-alikes and near misses issued by a test CA,
 * with chosen dates and holder, as PEM, DER or PKCS#7, one or many, whole
 * or truncated. Silent on success unless -v; exit 2 on a usage error.
 */
#include "autoconf.h"

#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/x509.h>

#include "certgen.h"

#define DAY		86400LL
#define DEFAULT_DAYS_LEFT	365
#define DEFAULT_VALID_DAYS	1095
/* "AYSE YILMAZ" with an S-cedilla */
#define DEFAULT_CN	"AY\xc5\x9e" "E YILMAZ"

enum {
	OPT_DAYS_LEFT = 256,
	OPT_NOT_AFTER,
	OPT_VALID_DAYS,
	OPT_NOT_BEFORE,
	OPT_TCKN,
	OPT_SERIAL_NUMBER,
	OPT_CN,
	OPT_EMAIL,
	OPT_KIND,
	OPT_FORMAT,
	OPT_COUNT,
	OPT_CA_DIR,
	OPT_TRUNCATE,
};

static const struct option mkcert_longopts[] = {
	{ "days-left", required_argument, NULL, OPT_DAYS_LEFT },
	{ "not-after", required_argument, NULL, OPT_NOT_AFTER },
	{ "valid-days", required_argument, NULL, OPT_VALID_DAYS },
	{ "not-before", required_argument, NULL, OPT_NOT_BEFORE },
	{ "tckn", required_argument, NULL, OPT_TCKN },
	{ "serial-number", required_argument, NULL, OPT_SERIAL_NUMBER },
	{ "cn", required_argument, NULL, OPT_CN },
	{ "email", required_argument, NULL, OPT_EMAIL },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "ca-dir", required_argument, NULL, OPT_CA_DIR },
	{ "truncate", required_argument, NULL, OPT_TRUNCATE },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* File name suffix per format, for --count into a directory. */
static const char *mkcert_suffix[CERTGEN_NFORMATS] = {
	[CERTGEN_PEM] = ".pem",
	[CERTGEN_DER] = ".der",
	[CERTGEN_P7] = ".p7b",
	[CERTGEN_P7PEM] = ".p7.pem",
};

struct mkcert {
	struct certgen		*cg;
	struct certgen_leaf	 leaf;
	const char		*tckn;		/* --tckn, or NULL */
	const char		*out;
	enum certgen_format	 format;
	long long		 count;
	long long		 truncate;	/* -1: whole */
	int			 verbose;
};

static void __attribute__((noreturn))
usage(int status)
{
	FILE	*f = status == 0 ? stdout : stderr;
	size_t	 col;
	int	 k;

	fprintf(f,
"usage: nes-mkcert [options] OUT\n"
"Make test certificates issued by a test CA (" CERTGEN_CA_SUBJECT ").\n"
"\n"
"  --days-left N          notAfter = now + N days (negative: expired);\n"
"                         default %d\n"
"  --not-after DATE       notAfter, YYYY-MM-DD[THH:MM:SS[Z]] in UTC\n"
"  --valid-days N         notBefore = notAfter - N days; default %d\n"
"  --not-before DATE      notBefore, same syntax as --not-after\n"
"  --tckn DIGITS          subject serialNumber = DIGITS (checksum not\n"
"                         checked); default: a synthetic valid TCKN\n"
"                         derived from the certificate's index\n"
"  --serial-number RAW    subject serialNumber as given (\"TR...\",\n"
"                         \"PNOTR-...\", a VKN, ...)\n"
"  --cn NAME              subject CN, UTF-8; default \"" DEFAULT_CN "\"\n"
"  --email ADDR           subjectAltName rfc822Name\n"
"  --kind KIND            default nes; one of:", DEFAULT_DAYS_LEFT,
	    DEFAULT_VALID_DAYS);
	col = 80;
	for (k = 0; k < CERTGEN_NKINDS; k++) {
		if (col + 1 + strlen(certgen_kind_name(k)) > 78)
			col = fprintf(f, "\n                        ");
		col += fprintf(f, " %s", certgen_kind_name(k));
	}
	fprintf(f, "\n"
"  --format FMT           pem (default), der, p7 (PKCS#7 DER), p7pem\n"
"  --count N              N certificates: OUT a directory (or ending in\n"
"                         /) gets cert-00001.pem ...; OUT a file gets them\n"
"                         all (pem, p7 or p7pem)\n"
"  --ca-dir DIR           use DIR/ca.key and DIR/ca.crt, made if missing\n"
"  --truncate N           write only the first N bytes of each file\n"
"  -v, --verbose          say what was written\n"
"  -h, --help             this text\n"
"Exit status: 0 done, 1 failure, 2 usage error.\n");
	exit(status);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "nes-mkcert: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'nes-mkcert --help'.\n");
	exit(2);
}

/* A decimal integer within [min, max], or a usage error naming opt. */
static long long
mkcert_number(const char *opt, const char *s, long long min, long long max)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno == ERANGE || v < min ||
	    v > max)
		usage_error("--%s: \"%s\" is not a number from %lld to %lld",
		    opt, s, min, max);
	return (v);
}

/* YYYY-MM-DD[THH:MM:SS[Z]] in UTC, or a usage error naming opt. */
static time_t
mkcert_date(const char *opt, const char *s)
{
	struct tm	 tm, chk;
	time_t		 t;
	char		 tail[4];
	int		 n, y, mo, d, h = 0, mi = 0, sec = 0;

	tail[0] = '\0';
	n = sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%3s", &y, &mo, &d, &h, &mi,
	    &sec, tail);
	if ((n != 3 && n != 6 && n != 7) || (n == 7 && strcmp(tail, "Z")) ||
	    strlen(s) != (n == 3 ? 10U : n == 6 ? 19U : 20U))
		goto bad;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	/* timegm normalises 02-30 into March: refuse what moved. */
	if (gmtime_r(&t, &chk) == NULL || chk.tm_year != y - 1900 ||
	    chk.tm_mon != mo - 1 || chk.tm_mday != d || chk.tm_hour != h ||
	    chk.tm_min != mi || chk.tm_sec != sec)
		goto bad;
	return (t);
bad:
	usage_error("--%s: \"%s\" is not YYYY-MM-DD[THH:MM:SS] (UTC)", opt, s);
}

/* 1 if s is a non-empty string of digits. */
static int
mkcert_digits(const char *s)
{
	if (*s == '\0')
		return (0);
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return (0);
	return (1);
}

/* 1 if s fits an X.520 serialNumber: 1-64 PrintableString characters. */
static int
mkcert_printable(const char *s)
{
	size_t	n;

	n = strlen(s);
	return (n >= 1 && n <= 64 &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789 '()+,-./:=?") == n);
}

/* Issue certificate number idx (from 1) of the run. */
static X509 *
mkcert_issue(struct mkcert *mc, long long idx)
{
	struct certgen_leaf	 leaf = mc->leaf;
	char			 tckn[12], *cause;
	X509			*x;

	if (leaf.serial_number == NULL) {
		if (mc->tckn != NULL)
			leaf.serial_number = mc->tckn;
		else {
			certgen_tckn(idx, tckn);
			leaf.serial_number = tckn;
		}
	}
	if ((x = certgen_issue(mc->cg, &leaf, &cause)) == NULL)
		errx(1, "%s", cause);
	return (x);
}

/* One file per certificate in directory mc->out. */
static void
mkcert_dir(struct mkcert *mc)
{
	char		 path[PATH_MAX], *cause;
	X509		*x;
	long long	 i;
	int		 n, dirlen;

	dirlen = strlen(mc->out);
	while (dirlen > 1 && mc->out[dirlen - 1] == '/')
		dirlen--;
	for (i = 1; i <= mc->count; i++) {
		n = snprintf(path, sizeof path, "%.*s/cert-%05lld%s", dirlen,
		    mc->out, i, mkcert_suffix[mc->format]);
		if (n < 0 || (size_t)n >= sizeof path)
			errx(1, "%s: path too long", mc->out);
		x = mkcert_issue(mc, i);
		if (certgen_write(path, &x, 1, mc->format, mc->truncate,
		    &cause) == -1)
			errx(1, "%s", cause);
		X509_free(x);
		if (mc->verbose)
			printf("%s\n", path);
	}
	if (mc->verbose)
		printf("%lld certificate(s) in %s\n", mc->count, mc->out);
}

/* All certificates into file mc->out. */
static void
mkcert_file(struct mkcert *mc)
{
	X509		**certs;
	char		 *cause;
	long long	  i;

	if ((certs = calloc(mc->count, sizeof *certs)) == NULL)
		err(1, NULL);
	for (i = 0; i < mc->count; i++)
		certs[i] = mkcert_issue(mc, i + 1);
	if (certgen_write(mc->out, certs, mc->count, mc->format, mc->truncate,
	    &cause) == -1)
		errx(1, "%s", cause);
	for (i = 0; i < mc->count; i++)
		X509_free(certs[i]);
	free(certs);
	if (mc->verbose)
		printf("%lld certificate(s) in %s\n", mc->count, mc->out);
}

int
main(int argc, char *argv[])
{
	struct mkcert	 mc;
	struct stat	 st;
	const char	*ca_dir = NULL, *opt;
	char		*cause;
	long long	 days_left = DEFAULT_DAYS_LEFT;
	long long	 valid_days = DEFAULT_VALID_DAYS;
	time_t		 now, not_after = 0, not_before = 0;
	int		 ch, has_days_left = 0, has_not_after = 0;
	int		 has_valid_days = 0, has_not_before = 0, isdir;

	memset(&mc, 0, sizeof mc);
	mc.leaf.cn = DEFAULT_CN;
	mc.leaf.kind = CERTGEN_NES;
	mc.format = CERTGEN_PEM;
	mc.count = 1;
	mc.truncate = -1;

	while ((ch = getopt_long(argc, argv, "hv", mkcert_longopts,
	    NULL)) != -1) {
		opt = ch >= OPT_DAYS_LEFT ?
		    mkcert_longopts[ch - OPT_DAYS_LEFT].name : "";
		switch (ch) {
		case OPT_DAYS_LEFT:
			days_left = mkcert_number(opt, optarg, -36500, 36500);
			has_days_left = 1;
			break;
		case OPT_NOT_AFTER:
			not_after = mkcert_date(opt, optarg);
			has_not_after = 1;
			break;
		case OPT_VALID_DAYS:
			valid_days = mkcert_number(opt, optarg, 0, 36500);
			has_valid_days = 1;
			break;
		case OPT_NOT_BEFORE:
			not_before = mkcert_date(opt, optarg);
			has_not_before = 1;
			break;
		case OPT_TCKN:
			if (!mkcert_digits(optarg))
				usage_error("--tckn: \"%s\" is not digits "
				    "(use --serial-number for anything else)",
				    optarg);
			mc.tckn = optarg;
			break;
		case OPT_SERIAL_NUMBER:
			if (!mkcert_printable(optarg))
				usage_error("--serial-number: \"%s\" is not 1 "
				    "to 64 PrintableString characters", optarg);
			mc.leaf.serial_number = optarg;
			break;
		case OPT_CN:
			mc.leaf.cn = optarg;
			break;
		case OPT_EMAIL:
			mc.leaf.email = optarg;
			break;
		case OPT_KIND:
			if (certgen_kind_parse(optarg, &mc.leaf.kind) == -1)
				usage_error("--kind: unknown kind \"%s\"",
				    optarg);
			break;
		case OPT_FORMAT:
			if (certgen_format_parse(optarg, &mc.format) == -1)
				usage_error("--format: \"%s\" is not pem, der, "
				    "p7 or p7pem", optarg);
			break;
		case OPT_COUNT:
			mc.count = mkcert_number(opt, optarg, 1, 100000000);
			break;
		case OPT_CA_DIR:
			ca_dir = optarg;
			break;
		case OPT_TRUNCATE:
			mc.truncate = mkcert_number(opt, optarg, 0, LLONG_MAX);
			break;
		case 'v':
			mc.verbose = 1;
			break;
		case 'h':
			usage(0);
		default:
			usage_error("bad option");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage_error(argc == 0 ? "missing OUT" : "too many arguments");
	mc.out = argv[0];
	if (*mc.out == '\0')
		usage_error("OUT is empty");

	if (has_days_left && has_not_after)
		usage_error("--days-left and --not-after exclude each other");
	if (has_valid_days && has_not_before)
		usage_error("--valid-days and --not-before exclude each other");
	if (mc.tckn != NULL && mc.leaf.serial_number != NULL)
		usage_error("--tckn and --serial-number exclude each other");
	now = time(NULL);
	if (!has_not_after)
		not_after = now + days_left * DAY;
	if (!has_not_before)
		not_before = not_after - valid_days * DAY;
	if (not_before > not_after)
		usage_error("notBefore is after notAfter");
	mc.leaf.not_after = not_after;
	mc.leaf.not_before = not_before;

	/* OUT is a directory if it is one, or if it ends in a slash. */
	isdir = stat(mc.out, &st) == 0 && S_ISDIR(st.st_mode);
	if (!isdir && mc.out[strlen(mc.out) - 1] == '/') {
		if (certgen_mkdirs(mc.out, 0755) == -1)
			err(1, "%s", mc.out);
		isdir = 1;
	}
	if (!isdir && mc.count > 1 && mc.format == CERTGEN_DER)
		usage_error("--count with --format der needs OUT to be a "
		    "directory");

	if ((mc.cg = certgen_new(ca_dir, &cause)) == NULL)
		errx(1, "%s", cause);
	if (isdir)
		mkcert_dir(&mc);
	else
		mkcert_file(&mc);
	certgen_free(mc.cg);
	return (0);
}
