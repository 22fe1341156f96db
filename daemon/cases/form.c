/* SPDX-License-Identifier: ISC */
/*
 * form.c - each holder's profile (by TCKN, one row a field, checked by the
 * rules of common/validate.c before it is stored) and the application
 * form of the case's kind as the portal shows it: the institution's form
 * (Başvuru Bilgileri, Kişisel Bilgiler, Kurum Bilgileri, İletişim
 * Bilgileri) or, after a loss, Online İşlemler's personal-payment form
 * (Sertifika, İletişim, Kurum and Teslimat Bilgisi). A verb works on the
 * holder of the case or certificate named, or on the one holder nesd
 * knows, and asks when there are several. What the certificate states
 * (TCKN, name, surname) comes from it, and a different value is refused;
 * the e-mail comes from it unless the profile says otherwise; the reason
 * and the card reader come from the case. The security word is refused.
 */

#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config.h"
#include "form.h"
#include "log.h"
#include "nitems.h"
#include "nls.h"
#include "proto.h"
#include "renewal.h"
#include "scheduler.h"
#include "store.h"
#include "store-case.h"
#include "tckn.h"
#include "validate.h"
#include "xmalloc.h"


#define F_OPTIONAL	0x1	/* may stay empty */
#define F_CASE		0x2	/* from the case, not the profile */
#define F_MINISTRY	0x4	/* the ministry of Kurum Seçimi (config) */

/* What form_init was given. */
static struct store		*form_store;
static const struct config	*form_conf;

/* A field of a form: its section, name and the portal's words. */
struct form_field {
	int		 section;
	const char	*field;
	const char	*label;
	int		 flags;
};

/*
 * The institution's form (the MEB portal, renewals and first
 * applications), in the portal's order. Kurum Adı is not asked: the
 * portal fills it in from the institution's records.
 */
static const char *const form_inst_sections[] = {
	N_("Application details (Başvuru Bilgileri)"),
	N_("Personal details (Kişisel Bilgiler)"),
	N_("Institution details (Kurum Bilgileri)"),
	N_("Contact details (İletişim Bilgileri)"),
};
static const struct form_field form_inst_fields[] = {
	{ 0, "reason", N_("Reason (Başvuru Nedeni)"), F_CASE },
	{ 0, "card_reader", N_("Card reader (Kart Okuyucu Tipi)"), 0 },
	{ 0, "duration", N_("Years (Sertifika Süresi)"), 0 },
	{ 1, "tckn", N_("TCKN (Kimlik No)"), 0 },
	{ 1, "name", N_("Name (Adı)"), 0 },
	{ 1, "surname", N_("Surname (Soyadı)"), 0 },
	{ 1, "birth_place", N_("Place of birth (Doğum Yeri)"), 0 },
	{ 1, "birth_date", N_("Date of birth (Doğum Tarihi)"), 0 },
	{ 2, "registry_no", N_("Registry no (Kurum Sicil No)"), 0 },
	{ 2, "unit", N_("Unit (Çalıştığı Birim)"), 0 },
	{ 2, "title", N_("Title (Ünvan)"), 0 },
	{ 2, "address", N_("Address (Kurum / Birim Adresi)"), 0 },
	{ 2, "province", N_("Province (İl)"), 0 },
	{ 2, "district", N_("District (İlçe)"), 0 },
	{ 2, "postal_code", N_("Postal code (Posta Kodu)"), 0 },
	{ 3, "email", N_("E-mail (Eposta)"), 0 },
	{ 3, "work_phone", N_("Work phone (İş Telefonu)"), 0 },
	{ 3, "extension", N_("Extension (Dahili)"), F_OPTIONAL },
	{ 3, "mobile_phone", N_("Mobile phone (Cep Telefonu)"), 0 },
	{ 3, "operator", N_("Operator (Mobil Operatör Tipi)"), 0 },
	{ 3, "home_phone", N_("Home phone (Ev Telefonu)"), F_OPTIONAL },
	{ 3, "info_channel", N_("Information by (Bilgi Kanalı)"), 0 },
};

/*
 * The personal-payment form of Online İşlemler (Kişi Ödemeli Başvuru,
 * after a loss or for a replacement), in its order: identity comes from
 * the e-Devlet login, the ministry from Kurum Seçimi, and the card is
 * delivered to the address of its last section.
 */
static const char *const form_paid_sections[] = {
	N_("1. Certificate (Sertifika Bilgisi)"),
	N_("2. Contact (İletişim Bilgisi)"),
	N_("3. Institution (Kurum Bilgisi)"),
	N_("4. Delivery (Teslimat Bilgisi)"),
};
static const struct form_field form_paid_fields[] = {
	{ 0, "duration", N_("Years (Sertifika Süresi)"), 0 },
	{ 0, "card_reader", N_("Card reader (Kart Okuyucu)"), 0 },
	{ 0, "publish", N_("Published (İnternette Yayınlansın mı?)"), 0 },
	{ 1, "email", N_("E-mail (e-Posta)"), 0 },
	{ 1, "mobile_phone", N_("Mobile phone (Cep Telefonu)"), 0 },
	{ 1, "operator", N_("Operator (Operatör)"), 0 },
	{ 1, "info_channel", N_("Information by (Bilgi Kanalı)"), 0 },
	{ 2, "ministry", N_("Institution (Kurum Adı)"), F_MINISTRY },
	{ 2, "unit", N_("Unit (Çalıştığı Birim)"), 0 },
	{ 2, "title", N_("Title (Ünvan)"), 0 },
	{ 2, "work_phone", N_("Work phone (İş Telefonu)"), F_OPTIONAL },
	{ 2, "extension", N_("Extension (Dahili)"), F_OPTIONAL },
	{ 3, "province", N_("Province (İl)"), 0 },
	{ 3, "district", N_("District (İlçe)"), 0 },
	{ 3, "neighbourhood", N_("Neighbourhood or village (Mahalle/Köy)"),
	  0 },
	{ 3, "street", N_("Street (Cadde ve Sokak)"), 0 },
	{ 3, "building", N_("Building (Bina)"), 0 },
	{ 3, "door", N_("Floor and door (Kat/Daire No)"), 0 },
	{ 3, "postal_code", N_("Postal code (Posta Kodu)"), 0 },
	{ 3, "institution", N_("Institution to deliver to (Kurum Adı)"), 0 },
};

/* The form of each kind of case: one of the two above. */
static const struct form_def {
	const char		*name;
	const char *const	*sections;
	const struct form_field	*fields;
	size_t			 nfields;
	const char		*notes[3];
} form_defs[] = {
	{ "institution", form_inst_sections, form_inst_fields,
	  nitems(form_inst_fields), {
	  N_("Security word (Güvenlik Sözcüğü): type it twice on the form "
	  "yourself and remember it; nesd does not keep it."),
	  N_("The portal sends an SMS code to the mobile number, valid for "
	  "about 300 seconds: have the phone at hand."),
	  N_("Kurum Adı is filled in by the portal from your institution's "
	  "records; if it is wrong, ask your institution (MEBBİS "
	  "administrators) to correct it.") } },
	{ "personal_payment", form_paid_sections, form_paid_fields,
	  nitems(form_paid_fields), {
	  N_("Log in to Online İşlemler with e-Devlet: your identity comes "
	  "from there, not from the form."),
	  N_("Cep Telefonu Doğrulama: an SMS code goes to the mobile number, "
	  "valid for about 300 seconds: have the phone at hand."),
	  N_("The certificate of a personal-payment application is valid "
	  "from the moment it is produced, and the fee is not refunded once "
	  "it is.") } },
};

void
form_init(struct store *store, const struct config *conf)
{
	form_store = store;
	form_conf = conf;
}

void
form_reload(const struct config *conf)
{
	form_conf = conf;
}

/* The holder's TCKN for the store: NULL for the one not known yet. */
static const char *
form_key(const struct form_holder *h)
{
	return (h->tckn[0] != '\0' ? h->tckn : NULL);
}

/* The context a field's rule needs, from the holder's profile. */
static void
form_ctx(const struct form_holder *h, struct validate_ctx *ctx,
    char **province, char **mobile)
{
	memset(ctx, 0, sizeof(*ctx));
	*province = store_holder_get(form_store, form_key(h), "province");
	*mobile = store_holder_get(form_store, form_key(h), "mobile_phone");
	ctx->province = *province;
	ctx->mobile = *mobile;
	ctx->email_domain = form_conf->email_domain;
	ctx->now = sched_now();
}

/* What the holder's certificate says of them. */
struct form_cert {
	char	*name;		/* the CN, upper case as issued */
	char	 tckn[TCKN_BUFSZ];
	char	*email;
};

static int
form_cert_cb(const struct store_cert *c, void *arg)
{
	struct form_cert	*fc = arg;

	fc->name = c->holder_name != NULL ? xstrdup(c->holder_name) : NULL;
	snprintf(fc->tckn, sizeof(fc->tckn), "%s", c->tckn != NULL ?
	    c->tckn : "");
	fc->email = c->email != NULL ? xstrdup(c->email) : NULL;
	return (1);
}

static void
form_cert_free(struct form_cert *fc)
{
	free(fc->name);
	free(fc->email);
}

/* The surname is the CN's last word, the name what comes before. */
static char *
form_cert_name(const struct form_cert *fc, int surname)
{
	const char	*sp;

	if (fc->name == NULL || (sp = strrchr(fc->name, ' ')) == NULL)
		return (NULL);
	return (surname ? xstrdup(sp + 1) : xstrndup(fc->name,
	    sp - fc->name));
}

static int
form_case_cb(const struct case_row *r, void *arg)
{
	struct form_holder	*h = arg;

	snprintf(h->tckn, sizeof(h->tckn), "%s", r->tckn != NULL ? r->tckn :
	    "");
	h->cert = r->cert_id;
	return (0);
}

static int
form_cert_tckn_cb(const struct store_cert *c, void *arg)
{
	struct form_holder	*h = arg;

	snprintf(h->tckn, sizeof(h->tckn), "%s", c->tckn != NULL ? c->tckn :
	    "");
	return (1);
}

/* Every holder nesd knows, for the choice and the error listing them. */
struct form_holders {
	size_t	 n;
	char	 tckn[TCKN_BUFSZ];
	int64_t	 cert;
	char	*list;		/* "1*******50 AYSE YILMAZ (--cert 3), ..." */
};

static int
form_holders_cb(const char *tckn, const char *name, int64_t cert, void *arg)
{
	struct form_holders	*l = arg;
	char			 masked[TCKN_BUFSZ], *s;

	tckn_mask(tckn, masked, sizeof(masked));
	xasprintf(&s, "%s%s%s %s (--cert %lld)", l->list != NULL ? l->list :
	    "", l->list != NULL ? ", " : "", masked, name != NULL ? name : "?",
	    (long long)cert);
	free(l->list);
	l->list = s;
	if (l->n++ == 0) {
		snprintf(l->tckn, sizeof(l->tckn), "%s", tckn);
		l->cert = cert;
	}
	return (0);
}

/* The newest certificate of the holder h names, into h->cert. */
static int
form_newest_cb(const char *tckn, const char *name, int64_t cert, void *arg)
{
	struct form_holder	*h = arg;

	if (strcmp(tckn, h->tckn) == 0 && cert != 0)
		h->cert = cert;
	return (0);
}

enum renewal_error
form_holder_pick(int64_t cert, int64_t kase, struct form_holder *h,
    char **cause)
{
	struct form_holders	 l;
	int			 n;

	memset(h, 0, sizeof(*h));
	if (kase != 0) {
		if ((n = store_case_get(form_store, kase, form_case_cb,
		    h)) <= 0) {
			xasprintf(cause, _("no such case: %lld"), (long long)kase);
			return (n < 0 ? RENEWAL_E_STORAGE : RENEWAL_E_NOT_FOUND);
		}
	} else if (cert != 0) {
		if ((n = store_cert_get(form_store, cert, form_cert_tckn_cb,
		    h)) <= 0) {
			xasprintf(cause, _("no such certificate: %lld"),
			    (long long)cert);
			return (n < 0 ? RENEWAL_E_STORAGE : RENEWAL_E_NOT_FOUND);
		}
		if (h->tckn[0] == '\0') {
			xasprintf(cause, _("certificate %lld names no holder (it "
			    "has no TCKN)"), (long long)cert);
			return (RENEWAL_E_PARAMS);
		}
		h->cert = cert;
		return (RENEWAL_OK);
	} else {
		memset(&l, 0, sizeof(l));
		if (store_holders(form_store, form_holders_cb, &l) != 0) {
			free(l.list);
			xasprintf(cause, _("storage error: %s"),
			    store_error(form_store));
			return (RENEWAL_E_STORAGE);
		}
		if (l.n > 1) {
			xasprintf(cause, _("%zu holders have certificates here: "
			    "%s; say whose with --cert ID or --case N"), l.n,
			    l.list);
			free(l.list);
			return (RENEWAL_E_AMBIGUOUS);
		}
		free(l.list);
		snprintf(h->tckn, sizeof(h->tckn), "%s", l.tckn);
		h->cert = l.cert;
		return (RENEWAL_OK);
	}
	if (h->cert == 0 && h->tckn[0] != '\0')
		store_holders(form_store, form_newest_cb, h);
	return (RENEWAL_OK);
}

/* The certificate of h, or nothing (fc zeroed). */
static void
form_holder_cert(const struct form_holder *h, struct form_cert *fc)
{
	memset(fc, 0, sizeof(*fc));
	if (h->cert != 0)
		store_cert_get(form_store, h->cert, form_cert_cb, fc);
}

/*
 * What the certificate states of the holder for field (tckn, name,
 * surname), allocated; NULL when it states nothing of it.
 */
static char *
form_stated(const struct form_cert *fc, const char *field)
{
	if (strcmp(field, "tckn") == 0)
		return (fc->tckn[0] != '\0' ? xstrdup(fc->tckn) : NULL);
	if (strcmp(field, "name") == 0 || strcmp(field, "surname") == 0)
		return (form_cert_name(fc, strcmp(field, "surname") == 0));
	return (NULL);
}

/* Whether two names are the same under Turkish case rules. */
static int
form_same(const char *a, const char *b)
{
	char	 fa[256], fb[256];

	validate_fold(a, fa, sizeof(fa));
	validate_fold(b, fb, sizeof(fb));
	return (strcmp(fa, fb) == 0);
}

/* "tckn, name, ...": the fields, for an error. */
static void
form_field_list(char *buf, size_t len)
{
	size_t	 i, off = 0;

	buf[0] = '\0';
	for (i = 0; validate_fields[i] != NULL && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i > 0 ? ", " : "",
		    validate_fields[i]);
}

/* The holder a profile answer is about: masked TCKN and certificate. */
static void
form_who(json_t *res, const struct form_holder *h)
{
	char	 masked[TCKN_BUFSZ];

	if (h->tckn[0] != '\0')
		tckn_mask(h->tckn, masked, sizeof(masked));
	json_object_set_new(res, "holder", json_pack("{s:o, s:o}", "tckn",
	    h->tckn[0] != '\0' ? json_string(masked) : json_null(), "cert",
	    h->cert != 0 ? json_integer(h->cert) : json_null()));
}

/*
 * A field the certificate states: the same value is taken (nothing to
 * store, the form shows the certificate's), another is refused with the
 * value the certificate has.
 */
static json_t *
form_stated_set(const struct form_holder *h, const char *field,
    const char *value, const char *stated, char **cause)
{
	char	 masked[TCKN_BUFSZ];
	json_t	*res;

	if (strcmp(field, "tckn") == 0 ? strcmp(value, stated) != 0 :
	    !form_same(value, stated)) {
		if (strcmp(field, "tckn") == 0)
			tckn_mask(stated, masked, sizeof(masked));
		xasprintf(cause, _("%s: certificate %lld of this holder says "
		    "%s, and the form must say what the certificate and the "
		    "civil registry say; for another person's form name their "
		    "certificate (--cert ID) or case (--case N)"), field,
		    (long long)h->cert, strcmp(field, "tckn") == 0 ? masked :
		    stated);
		return (NULL);
	}
	if (strcmp(field, "tckn") == 0) {
		tckn_mask(stated, masked, sizeof(masked));
		stated = masked;
	}
	res = json_pack("{s:s, s:s, s:s, s:s}", "field", field, "value",
	    stated, "status", "ok", "source", "certificate");
	form_who(res, h);
	return (res);
}

json_t *
form_profile_set(const struct form_holder *h, const char *name,
    const char *value, char **cause)
{
	struct validate_ctx	 ctx;
	struct form_cert	 fc;
	enum validate_status	 st;
	const char		*field;
	char			 norm[512], why[VALIDATE_WHY], list[512];
	char			*province, *mobile, *stated;
	json_t			*res;

	if ((field = validate_field_name(name)) == NULL) {
		form_field_list(list, sizeof(list));
		xasprintf(cause, _("no such field: %s (the fields are: %s, or "
		    "the portal's labels)"), name, list);
		return (NULL);
	}
	if (*value == '\0' && strcmp(field, "security_word") != 0) {
		if (store_holder_unset(form_store, form_key(h), field) != 0)
			goto storage;
		res = json_pack("{s:s, s:n}", "field", field, "value");
		form_who(res, h);
		return (res);
	}
	form_ctx(h, &ctx, &province, &mobile);
	st = validate_field(field, value, &ctx, norm, sizeof(norm), why,
	    sizeof(why));
	free(province);
	free(mobile);
	if (st == VALIDATE_BAD) {
		xasprintf(cause, _("%s: %s"), field, why);
		return (NULL);
	}
	form_holder_cert(h, &fc);
	stated = form_stated(&fc, field);
	form_cert_free(&fc);
	if (stated != NULL) {
		res = form_stated_set(h, field, norm, stated, cause);
		free(stated);
		return (res);
	}
	if (store_holder_set(form_store, form_key(h), field, norm,
	    sched_now()) != 0)
		goto storage;
	log_info("profile: %s set", field);
	res = json_pack("{s:s, s:s, s:s}", "field", field, "value", norm,
	    "status", st == VALIDATE_OK ? "ok" : "warn");
	if (st == VALIDATE_WARN)
		json_object_set_new(res, "why", proto_string(why));
	form_who(res, h);
	return (res);
storage:
	xasprintf(cause, _("storage error: %s"), store_error(form_store));
	return (NULL);
}

static int
form_profile_cb(const char *field, const char *value, time_t at, void *arg)
{
	char	 masked[TCKN_BUFSZ];

	if (strncmp(field, "eonay", 5) == 0)
		return (0);
	if (strcmp(field, "tckn") == 0) {
		tckn_mask(value, masked, sizeof(masked));
		value = masked;
	}
	json_array_append_new(arg, json_pack("{s:s, s:o}", "field", field,
	    "value", proto_string(value)));
	return (0);
}

json_t *
form_profile_json(const struct form_holder *h)
{
	json_t	*a = json_array(), *res;
	char	*eonay = store_holder_get(form_store, form_key(h), "eonay");

	store_holder_all(form_store, form_key(h), form_profile_cb, a);
	res = json_pack("{s:o, s:s}", "fields", a, "eonay",
	    eonay != NULL ? eonay : "unknown");
	form_who(res, h);
	free(eonay);
	return (res);
}

int
form_eonay_set(const struct form_holder *h, int given)
{
	return (store_holder_set(form_store, form_key(h), "eonay", given ?
	    "given" : "not_given", sched_now()));
}

/* A field's value from the case, the certificate or a default; *source. */
static char *
form_derived(json_t *kase, const struct form_cert *fc, const char *field,
    const char **source)
{
	const char	*kind = json_string_value(json_object_get(kase, "kind"));
	char		*v;

	*source = "case";
	if (strcmp(field, "reason") == 0 && kase != NULL)
		return (xstrdup(json_string_value(json_object_get(kase,
		    "reason_words"))));
	if (strcmp(field, "card_reader") == 0 && kind != NULL)
		return (xstrdup(strcmp(kind, "first") == 0 ?
		    "Mini Kart Okuyucu" : "İstenmedi"));
	*source = "certificate";
	if ((v = form_stated(fc, field)) != NULL)
		return (v);
	if (strcmp(field, "email") == 0 && fc->email != NULL)
		return (xstrdup(fc->email));
	*source = "default";
	if (strcmp(field, "duration") == 0)
		return (xstrdup("3"));
	if (strcmp(field, "publish") == 0)
		return (xstrdup("Hayır"));
	return (NULL);
}

/* One field of the form, checked, into fields; 0 when it is ready. */
static int
form_one(const struct form_holder *h, const struct form_field *f,
    json_t *kase, const struct form_cert *fc, const struct validate_ctx *ctx,
    json_t *fields)
{
	enum validate_status	 st = VALIDATE_OK;
	const char		*source = "profile", *status;
	char			*v = NULL, *stated, norm[512];
	char			 why[VALIDATE_WHY] = "", masked[TCKN_BUFSZ];
	json_t			*o;

	if (f->flags & F_MINISTRY) {
		v = xstrdup(form_conf->ministry);
		source = "configuration";
	} else {
		/* What the certificate states wins over any profile. */
		stated = form_stated(fc, f->field);
		if ((f->flags & F_CASE) == 0 && stated == NULL)
			v = store_holder_get(form_store, form_key(h), f->field);
		/* Kept before nesd knew whose it is (a first application). */
		if ((f->flags & F_CASE) == 0 && stated == NULL && v == NULL &&
		    form_key(h) != NULL)
			v = store_holder_get(form_store, NULL, f->field);
		free(stated);
	}
	if (v == NULL)
		v = form_derived(kase, fc, f->field, &source);
	if (v == NULL) {
		status = (f->flags & F_OPTIONAL) ? "ok" : "missing";
		if ((f->flags & F_OPTIONAL) == 0)
			snprintf(why, sizeof(why), _("not set: nesctl profile "
			    "set %s VALUE"), f->field);
	} else if (!(f->flags & (F_CASE | F_MINISTRY))) {
		st = validate_field(f->field, v, ctx, norm, sizeof(norm), why,
		    sizeof(why));
		status = st == VALIDATE_OK ? "ok" : st == VALIDATE_WARN ?
		    "warn" : "bad";
	} else
		status = "ok";
	if (v != NULL && strcmp(f->field, "tckn") == 0) {
		tckn_mask(v, masked, sizeof(masked));
		free(v);
		v = xstrdup(masked);
	}
	o = json_pack("{s:s, s:s, s:o, s:s, s:s}", "field", f->field, "label",
	    _(f->label), "value", v != NULL ? proto_string(v) : json_null(),
	    "status", status, "source", source);
	if (*why != '\0')
		json_object_set_new(o, "why", proto_string(why));
	json_array_append_new(fields, o);
	free(v);
	return (strcmp(status, "ok") != 0 && strcmp(status, "warn") != 0);
}

/* The form of a case's kind: the personal-payment one after a loss. */
static const struct form_def *
form_of(json_t *kase)
{
	const char	*kind;

	kind = json_string_value(json_object_get(kase, "kind"));
	if (kind != NULL && (strcmp(kind, "lost") == 0 ||
	    strcmp(kind, "replacement") == 0))
		return (&form_defs[1]);
	return (&form_defs[0]);
}

json_t *
form_json(int64_t case_id, const struct form_holder *h)
{
	const struct form_def	*def;
	struct validate_ctx	 ctx;
	struct form_cert	 fc;
	json_t			*kase = NULL, *sections, *fields = NULL, *res;
	json_t			*notes;
	char			*province, *mobile;
	size_t			 i;
	int			 bad = 0, sec = -1;

	if (case_id != 0)
		kase = renewal_case_json(case_id);
	form_holder_cert(h, &fc);
	def = form_of(kase);
	form_ctx(h, &ctx, &province, &mobile);
	sections = json_array();
	for (i = 0; i < def->nfields; i++) {
		if (def->fields[i].section != sec) {
			sec = def->fields[i].section;
			fields = json_array();
			json_array_append_new(sections, json_pack("{s:s, s:o}",
			    "title", _(def->sections[sec]), "fields", fields));
		}
		bad |= form_one(h, &def->fields[i], kase, &fc, &ctx, fields);
	}
	notes = json_array();
	for (i = 0; i < nitems(def->notes) && def->notes[i] != NULL; i++)
		json_array_append_new(notes, proto_string(_(def->notes[i])));
	res = json_pack("{s:o, s:s, s:o, s:b, s:o}", "case", case_id != 0 ?
	    json_integer(case_id) : json_null(), "form", def->name,
	    "sections", sections, "valid", !bad, "notes", notes);
	form_who(res, h);
	json_decref(kase);
	free(province);
	free(mobile);
	form_cert_free(&fc);
	return (res);
}
