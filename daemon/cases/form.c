/* SPDX-License-Identifier: ISC */
/*
 * form.c - the holder's profile (one row a field, checked by the rules of
 * common/validate.c before it is stored) and the application form of the
 * case's kind as the portal shows it: the institution's form (Başvuru
 * Bilgileri, Kişisel Bilgiler, Kurum Bilgileri, İletişim Bilgileri) or,
 * after a loss, Online İşlemler's personal-payment form (Sertifika,
 * İletişim, Kurum and Teslimat Bilgisi). What the certificate already says (name, TCKN,
 * e-mail) comes from it unless the profile says otherwise; the reason and
 * the card reader come from the case. The security word is refused.
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
	{ 1, "tckn", N_("TCKN (T.C. Kimlik No)"), 0 },
	{ 1, "name", N_("Name (Ad)"), 0 },
	{ 1, "surname", N_("Surname (Soyad)"), 0 },
	{ 1, "birth_place", N_("Place of birth (Doğum Yeri)"), 0 },
	{ 1, "birth_date", N_("Date of birth (Doğum Tarihi)"), 0 },
	{ 2, "registry_no", N_("Registry no (Sicil No)"), 0 },
	{ 2, "unit", N_("Unit (Birim)"), 0 },
	{ 2, "title", N_("Title (Unvan)"), 0 },
	{ 2, "address", N_("Address (Adres)"), 0 },
	{ 2, "province", N_("Province (İl)"), 0 },
	{ 2, "district", N_("District (İlçe)"), 0 },
	{ 2, "postal_code", N_("Postal code (Posta Kodu)"), 0 },
	{ 3, "email", N_("E-mail (E-posta)"), 0 },
	{ 3, "work_phone", N_("Work phone (İş Telefonu)"), 0 },
	{ 3, "extension", N_("Extension (Dahili)"), F_OPTIONAL },
	{ 3, "mobile_phone", N_("Mobile phone (Cep Telefonu)"), 0 },
	{ 3, "operator", N_("Operator (Operatör)"), 0 },
	{ 3, "home_phone", N_("Home phone (Ev Telefonu)"), F_OPTIONAL },
	{ 3, "info_channel", N_("Information by (Bilgilendirme)"), 0 },
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

/* The context a field's rule needs, from the stored profile. */
static void
form_ctx(struct validate_ctx *ctx, char **province, char **mobile)
{
	memset(ctx, 0, sizeof(*ctx));
	*province = store_profile_get(form_store, "province");
	*mobile = store_profile_get(form_store, "mobile_phone");
	ctx->province = *province;
	ctx->mobile = *mobile;
	ctx->email_domain = form_conf->email_domain;
	ctx->now = sched_now();
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

json_t *
form_profile_set(const char *field, const char *value, char **cause)
{
	struct validate_ctx	 ctx;
	enum validate_status	 st;
	char			 norm[512], why[VALIDATE_WHY], list[512];
	char			*province, *mobile;
	json_t			*res;

	if (!validate_known(field)) {
		form_field_list(list, sizeof(list));
		xasprintf(cause, "no such field: %s (the fields are: %s)",
		    field, list);
		return (NULL);
	}
	if (*value == '\0' && strcmp(field, "security_word") != 0) {
		if (store_profile_unset(form_store, field) != 0)
			goto storage;
		return (json_pack("{s:s, s:n}", "field", field, "value"));
	}
	form_ctx(&ctx, &province, &mobile);
	st = validate_field(field, value, &ctx, norm, sizeof(norm), why,
	    sizeof(why));
	free(province);
	free(mobile);
	if (st == VALIDATE_BAD) {
		xasprintf(cause, "%s: %s", field, why);
		return (NULL);
	}
	if (store_profile_set(form_store, field, norm, sched_now()) != 0)
		goto storage;
	log_info("profile: %s set", field);
	res = json_pack("{s:s, s:s, s:s}", "field", field, "value", norm,
	    "status", st == VALIDATE_OK ? "ok" : "warn");
	if (st == VALIDATE_WARN)
		json_object_set_new(res, "why", proto_string(why));
	return (res);
storage:
	xasprintf(cause, "storage error: %s", store_error(form_store));
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
form_profile_json(void)
{
	json_t	*a = json_array(), *res;
	char	*eonay = store_profile_get(form_store, "eonay");

	store_profile_all(form_store, form_profile_cb, a);
	res = json_pack("{s:o, s:s}", "fields", a, "eonay",
	    eonay != NULL ? eonay : "unknown");
	free(eonay);
	return (res);
}

/* What the case's certificate says of the holder. */
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

/* A field's value from the case, the certificate or a default; *source. */
static char *
form_derived(json_t *kase, const struct form_cert *fc, const char *field,
    const char **source)
{
	const char	*kind = json_string_value(json_object_get(kase, "kind"));

	*source = "case";
	if (strcmp(field, "reason") == 0 && kase != NULL)
		return (xstrdup(json_string_value(json_object_get(kase,
		    "reason_words"))));
	if (strcmp(field, "card_reader") == 0 && kind != NULL)
		return (xstrdup(strcmp(kind, "first") == 0 ?
		    "Mini Kart Okuyucu" : "İstenmedi"));
	*source = "certificate";
	if (strcmp(field, "tckn") == 0 && fc->tckn[0] != '\0')
		return (xstrdup(fc->tckn));
	if (strcmp(field, "name") == 0 || strcmp(field, "surname") == 0)
		return (form_cert_name(fc, strcmp(field, "surname") == 0));
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
form_one(const struct form_field *f, json_t *kase, const struct form_cert *fc,
    const struct validate_ctx *ctx, json_t *fields)
{
	enum validate_status	 st = VALIDATE_OK;
	const char		*source = "profile", *status;
	char			*v, norm[512], why[VALIDATE_WHY] = "";
	char			 masked[TCKN_BUFSZ];
	json_t			*o;

	if (f->flags & F_MINISTRY) {
		v = xstrdup(form_conf->ministry);
		source = "configuration";
	} else if ((f->flags & F_CASE) ||
	    (v = store_profile_get(form_store, f->field)) == NULL)
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
form_json(int64_t case_id)
{
	const struct form_def	*def;
	struct validate_ctx	 ctx;
	struct form_cert	 fc;
	json_t			*kase = NULL, *sections, *fields = NULL, *res;
	json_t			*notes;
	char			*province, *mobile;
	size_t			 i;
	int			 bad = 0, sec = -1;

	memset(&fc, 0, sizeof(fc));
	if (case_id != 0 && (kase = renewal_case_json(case_id)) != NULL &&
	    json_is_integer(json_object_get(kase, "cert")))
		store_cert_get(form_store, json_integer_value(json_object_get(
		    kase, "cert")), form_cert_cb, &fc);
	def = form_of(kase);
	form_ctx(&ctx, &province, &mobile);
	sections = json_array();
	for (i = 0; i < def->nfields; i++) {
		if (def->fields[i].section != sec) {
			sec = def->fields[i].section;
			fields = json_array();
			json_array_append_new(sections, json_pack("{s:s, s:o}",
			    "title", _(def->sections[sec]), "fields", fields));
		}
		bad |= form_one(&def->fields[i], kase, &fc, &ctx, fields);
	}
	notes = json_array();
	for (i = 0; i < nitems(def->notes) && def->notes[i] != NULL; i++)
		json_array_append_new(notes, proto_string(_(def->notes[i])));
	res = json_pack("{s:o, s:s, s:o, s:b, s:o}", "case", case_id != 0 ?
	    json_integer(case_id) : json_null(), "form", def->name,
	    "sections", sections, "valid", !bad, "notes", notes);
	json_decref(kase);
	free(province);
	free(mobile);
	free(fc.name);
	free(fc.email);
	return (res);
}
