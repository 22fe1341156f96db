/* SPDX-License-Identifier: ISC */
/*
 * validate_test.c - unit tests for common/validate.c: a table of good and
 * bad values for every field of the application form, the 81 provinces
 * against their postal codes in Turkish upper and lower case, and the
 * telephone normalisation and operator hints, the 973 districts of the
 * 81 provinces with the usual spellings, and the portal's own words.
 * Every value is synthetic.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "nitems.h"
#include "unit.h"
#include "validate.h"


/* 2026-11-21 12:00 UTC: "today" for dates of birth. */
#define NOW	1795262400

static const struct vcase {
	const char		*field;
	const char		*value;
	const char		*province;	/* context */
	const char		*mobile;
	const char		*domain;
	enum validate_status	 want;
	const char		*norm;		/* NULL: not checked */
} vcases[] = {
	/* TCKN: checksum with the non-negative modulo. */
	{ "tckn", "11111111110", NULL, NULL, NULL, VALIDATE_OK, NULL },
	{ "tckn", "19090909018", NULL, NULL, NULL, VALIDATE_OK, NULL },
	{ "tckn", "12345678950", NULL, NULL, NULL, VALIDATE_OK, NULL },
	{ "tckn", "19090909019", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "tckn", "19090909008", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "tckn", "01111111110", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "tckn", "1111111111", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "tckn", "1111111111a", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "tckn", "", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	/* Typed in groups, as people read it out. */
	{ "tckn", "123 456 789 50", NULL, NULL, NULL, VALIDATE_OK,
	  "12345678950" },
	{ "tckn", " 1909 0909 018 ", NULL, NULL, NULL, VALIDATE_OK,
	  "19090909018" },
	{ "tckn", "123 456 789 51", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	/* Names and places. */
	{ "name", "Ayşe", NULL, NULL, NULL, VALIDATE_OK, "Ayşe" },
	{ "name", "  İSMAİL  ", NULL, NULL, NULL, VALIDATE_OK, "İSMAİL" },
	{ "surname", "Yılmaz-Öztürk", NULL, NULL, NULL, VALIDATE_OK, NULL },
	{ "surname", "O'Neil", NULL, NULL, NULL, VALIDATE_OK, NULL },
	{ "name", "", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "name", "   ", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "surname", "Yılmaz2", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "birth_place", "Şanlıurfa", NULL, NULL, NULL, VALIDATE_OK, NULL },
	{ "birth_place", "x@y", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "district", "Çankaya", NULL, NULL, NULL, VALIDATE_OK, NULL },
	/* Districts against the province, in the usual spellings. */
	{ "district", "ÇANKAYA", "Ankara", NULL, NULL, VALIDATE_OK,
	  "Çankaya" },
	{ "district", "konak", "İZMİR", NULL, NULL, VALIDATE_OK, "Konak" },
	{ "district", "Konak", "Ankara", NULL, NULL, VALIDATE_BAD, NULL },
	{ "district", "AKSARAY MERKEZ", "Aksaray", NULL, NULL, VALIDATE_OK,
	  "Aksaray Merkez" },
	{ "district", "Merkez", "Erzincan", NULL, NULL, VALIDATE_OK,
	  "Erzincan Merkez" },
	{ "district", "Batman", "Batman", NULL, NULL, VALIDATE_OK,
	  "Batman Merkez" },
	{ "district", "Merkez", "İstanbul", NULL, NULL, VALIDATE_BAD, NULL },
	{ "district", "Merkez", "Ordu", NULL, NULL, VALIDATE_OK,
	  "Altınordu" },
	{ "district", "Kazan", "Ankara", NULL, NULL, VALIDATE_OK,
	  "Kahramankazan" },
	{ "district", "Eyüp", "İstanbul", NULL, NULL, VALIDATE_OK,
	  "Eyüpsultan" },
	{ "district", "19 Mayıs", "Samsun", NULL, NULL, VALIDATE_OK,
	  "Ondokuzmayıs" },
	{ "district", "Mustafa Kemal Paşa", "Bursa", NULL, NULL, VALIDATE_OK,
	  "Mustafakemalpaşa" },
	{ "district", "Şarkîkaraağaç", "Isparta", NULL, NULL, VALIDATE_OK,
	  "Şarkikaraağaç" },
	{ "district", "IĞDIR MERKEZ", "76", NULL, NULL, VALIDATE_OK,
	  "Iğdır Merkez" },
	{ "district", "Kemalpaşa", "Artvin", NULL, NULL, VALIDATE_OK, NULL },
	{ "district", "Kemalpaşa", "İzmir", NULL, NULL, VALIDATE_OK, NULL },
	{ "district", "Derecik", "Hakkari", NULL, NULL, VALIDATE_OK, NULL },
	{ "district", "Sultanhanı", "Aksaray", NULL, NULL, VALIDATE_OK,
	  NULL },
	{ "district", "Atlantis", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "district", "Atlantis", "Ankara", NULL, NULL, VALIDATE_BAD, NULL },
	/* Dates. */
	{ "birth_date", "1980-02-29", NULL, NULL, NULL, VALIDATE_OK,
	  "29.02.1980" },
	{ "birth_date", "01.01.1970", NULL, NULL, NULL, VALIDATE_OK,
	  "01.01.1970" },
	{ "birth_date", "2000-02-29", NULL, NULL, NULL, VALIDATE_OK, NULL },
	{ "birth_date", "1900-02-29", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "birth_date", "1981-02-29", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "birth_date", "31.04.1980", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "birth_date", "1980-13-01", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "birth_date", "1.1.1980", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "birth_date", "1899-12-31", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "birth_date", "01.01.1885", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "birth_date", "2027-01-01", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "birth_date", "yesterday", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	/* Institution. */
	{ "institution", "Milli Eğitim Bakanlığı", NULL, NULL, NULL,
	  VALIDATE_OK, NULL },
	{ "institution", "", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "address", "Atatürk Bulvarı No: 98", NULL, NULL, NULL, VALIDATE_OK,
	  NULL },
	{ "address", "two\nlines", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "unit", "Bilgi İşlem", NULL, NULL, NULL, VALIDATE_OK, NULL },
	{ "title", "Öğretmen", NULL, NULL, NULL, VALIDATE_OK, NULL },
	{ "registry_no", "123456", NULL, NULL, NULL, VALIDATE_OK, NULL },
	{ "registry_no", "12A456", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "registry_no", "", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	/* Province and postal code. */
	{ "province", "ankara", NULL, NULL, NULL, VALIDATE_OK, "Ankara" },
	{ "province", "İZMİR", NULL, NULL, NULL, VALIDATE_OK, "İzmir" },
	{ "province", "IĞDIR", NULL, NULL, NULL, VALIDATE_OK, "Iğdır" },
	{ "province", "ığdır", NULL, NULL, NULL, VALIDATE_OK, "Iğdır" },
	{ "province", "Istanbul", NULL, NULL, NULL, VALIDATE_OK, "İstanbul" },
	{ "province", "İçel", NULL, NULL, NULL, VALIDATE_OK, "Mersin" },
	{ "province", "Urfa", NULL, NULL, NULL, VALIDATE_OK, "Şanlıurfa" },
	{ "province", "Afyon Karahisar", NULL, NULL, NULL, VALIDATE_OK,
	  "Afyonkarahisar" },
	{ "province", "06", NULL, NULL, NULL, VALIDATE_OK, "Ankara" },
	{ "province", "82", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "province", "Atlantis", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "postal_code", "06500", "Ankara", NULL, NULL, VALIDATE_OK, NULL },
	{ "postal_code", "06500", NULL, NULL, NULL, VALIDATE_OK, NULL },
	{ "postal_code", "35100", "ankara", NULL, NULL, VALIDATE_BAD, NULL },
	{ "postal_code", "81000", "İstanbul", NULL, NULL, VALIDATE_WARN,
	  NULL },
	{ "postal_code", "81000", "Düzce", NULL, NULL, VALIDATE_OK, NULL },
	{ "postal_code", "00100", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "postal_code", "82100", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "postal_code", "0650", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "postal_code", "065000", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "postal_code", "06a00", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	/* E-mail. */
	{ "email", "ayse.yilmaz@meb.gov.tr", NULL, NULL, "meb.gov.tr",
	  VALIDATE_OK, NULL },
	{ "email", "a@okul.meb.gov.tr", NULL, NULL, "meb.gov.tr",
	  VALIDATE_OK, NULL },
	{ "email", "a@example.com", NULL, NULL, "meb.gov.tr", VALIDATE_WARN,
	  NULL },
	{ "email", "a@notmeb.gov.tr", NULL, NULL, "meb.gov.tr",
	  VALIDATE_WARN, NULL },
	{ "email", "a@example.com", NULL, NULL, NULL, VALIDATE_OK, NULL },
	{ "email", "a.example.com", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "email", "@example.com", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "email", "a@b@example.com", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "email", "a b@example.com", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "email", "a@localhost", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "email", "a@example..com", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "email", "a@.example.com", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "email", "ayşe@example.com", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "email", "ayse.@meb.gov.tr", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "email", ".ayse@meb.gov.tr", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "email", "ay..se@meb.gov.tr", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "email", "ayse@-meb.gov.tr", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "email", "ayse@meb-.gov.tr", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "email", "ayse@meb_gov.tr", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "email", "ay(se)@meb.gov.tr", NULL, NULL, NULL, VALIDATE_BAD,
	  NULL },
	{ "email", "ayse.yilmaz@meb.gov.tr", NULL, NULL, NULL, VALIDATE_OK,
	  NULL },
	/* A personal address, with no institutional domain configured. */
	{ "email", "ayse@hotmail.com", NULL, NULL, NULL, VALIDATE_WARN, NULL },
	{ "email", "ayse@GMAIL.COM", NULL, NULL, NULL, VALIDATE_WARN, NULL },
	{ "email", "ayse@yahoo.com.tr", NULL, NULL, NULL, VALIDATE_WARN,
	  NULL },
	{ "email", "ayse@notgmail.com", NULL, NULL, NULL, VALIDATE_OK, NULL },
	/* Telephones. */
	{ "mobile_phone", "0532 123 45 67", NULL, NULL, NULL, VALIDATE_OK,
	  "5321234567" },
	{ "mobile_phone", "+90 (542) 123-45-67", NULL, NULL, NULL,
	  VALIDATE_OK, "5421234567" },
	{ "mobile_phone", "00905051234567", NULL, NULL, NULL, VALIDATE_OK,
	  "5051234567" },
	{ "mobile_phone", "905591234567", NULL, NULL, NULL, VALIDATE_OK,
	  "5591234567" },
	{ "mobile_phone", "5161234567", NULL, NULL, NULL, VALIDATE_OK, NULL },
	{ "mobile_phone", "0312 123 45 67", NULL, NULL, NULL, VALIDATE_BAD,
	  NULL },
	{ "mobile_phone", "0532 123 45 6", NULL, NULL, NULL, VALIDATE_BAD,
	  NULL },
	{ "mobile_phone", "0532 123 45 678", NULL, NULL, NULL, VALIDATE_BAD,
	  NULL },
	{ "mobile_phone", "05321234x67", NULL, NULL, NULL, VALIDATE_BAD,
	  NULL },
	{ "mobile_phone", "5201234567", NULL, NULL, NULL, VALIDATE_WARN,
	  NULL },
	{ "work_phone", "(0312) 413 15 55", NULL, NULL, NULL, VALIDATE_OK,
	  "3124131555" },
	{ "work_phone", "0850 123 45 67", NULL, NULL, NULL, VALIDATE_OK,
	  NULL },
	{ "work_phone", "0612 123 45 67", NULL, NULL, NULL, VALIDATE_BAD,
	  NULL },
	{ "home_phone", "0232 123 45 67", NULL, NULL, NULL, VALIDATE_OK,
	  NULL },
	{ "home_phone", "123", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "extension", "1234", NULL, NULL, NULL, VALIDATE_OK, NULL },
	{ "extension", "12a", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "extension", "1234567", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	/* Operator: only a hint from the prefix. */
	{ "operator", "turkcell", NULL, "05321234567", NULL, VALIDATE_OK,
	  "Turkcell" },
	{ "operator", "TÜRK TELEKOM", NULL, "5051234567", NULL, VALIDATE_OK,
	  "Türk Telekom" },
	{ "operator", "Türk Telekom", NULL, "5551234567", NULL, VALIDATE_OK,
	  NULL },
	{ "operator", "Vodafone", NULL, "5421234567", NULL, VALIDATE_OK,
	  NULL },
	{ "operator", "Vodafone", NULL, "5321234567", NULL, VALIDATE_WARN,
	  NULL },
	{ "operator", "Turkcell", NULL, "5101234567", NULL, VALIDATE_WARN,
	  NULL },
	{ "operator", "Vodafone", NULL, NULL, NULL, VALIDATE_OK, NULL },
	{ "operator", "Telsim", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	/* Choices. */
	{ "duration", "3", NULL, NULL, NULL, VALIDATE_OK, "3" },
	{ "duration", "4", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	/* The portal's own words. */
	{ "duration", "3 Yıl", NULL, NULL, NULL, VALIDATE_OK, "3" },
	{ "duration", "3 YIL (170.0 + KDV)", NULL, NULL, NULL, VALIDATE_OK,
	  "3" },
	{ "duration", "4 Yıl", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "card_reader", "Mini Kart Okuyucu (100.0 + KDV)", NULL, NULL, NULL,
	  VALIDATE_OK, "Mini Kart Okuyucu" },
	{ "info_channel", "Her ikisi", NULL, NULL, NULL, VALIDATE_OK,
	  "Her ikisi (E-posta+SMS)" },
	{ "info_channel", "Her ikisi (E-posta+SMS)", NULL, NULL, NULL,
	  VALIDATE_OK, "Her ikisi (E-posta+SMS)" },
	{ "info_channel", "HER İKİSİ (SMS+e-Posta)", NULL, NULL, NULL,
	  VALIDATE_OK, "Her ikisi (E-posta+SMS)" },
	{ "publish", "Hayır", NULL, NULL, NULL, VALIDATE_OK, "Hayır" },
	{ "publish", "yes", NULL, NULL, NULL, VALIDATE_OK, "Evet" },
	{ "publish", "belki", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "neighbourhood", "Fatih Mah.", NULL, NULL, NULL, VALIDATE_OK,
	  NULL },
	{ "door", "", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "card_reader", "mini", NULL, NULL, NULL, VALIDATE_OK,
	  "Mini Kart Okuyucu" },
	{ "card_reader", "İSTENMEDİ", NULL, NULL, NULL, VALIDATE_OK,
	  "İstenmedi" },
	{ "card_reader", "usb", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	{ "info_channel", "E-posta", NULL, NULL, NULL, VALIDATE_OK,
	  "E-posta" },
	{ "info_channel", "sms", NULL, NULL, NULL, VALIDATE_OK, "SMS" },
	{ "info_channel", "both", NULL, NULL, NULL, VALIDATE_OK,
	  "Her ikisi (E-posta+SMS)" },
	{ "info_channel", "Her ikisi (E-posta+SMS)", NULL, NULL, NULL,
	  VALIDATE_OK, "Her ikisi (E-posta+SMS)" },
	{ "duration", "3 Yıl", NULL, NULL, NULL, VALIDATE_OK, "3" },
	{ "info_channel", "fax", NULL, NULL, NULL, VALIDATE_BAD, NULL },
	/* The security word is never accepted, and no field is invented. */
	{ "security_word", "kedi", NULL, NULL, NULL, VALIDATE_BAD, "" },
	{ "nosuch", "x", NULL, NULL, NULL, VALIDATE_BAD, NULL },
};

START_TEST(test_table)
{
	const struct vcase	*c = &vcases[_i];
	struct validate_ctx	 ctx = { c->province, c->mobile, c->domain,
	    NOW };
	char			 norm[256], why[VALIDATE_WHY];
	enum validate_status	 st;

	st = validate_field(c->field, c->value, &ctx, norm, sizeof(norm), why,
	    sizeof(why));
	ck_assert_msg(st == c->want, "%s \"%s\": status %d, want %d (%s)",
	    c->field, c->value, st, c->want, why);
	if (st != VALIDATE_OK)
		ck_assert_msg(why[0] != '\0', "%s \"%s\": no reason given",
		    c->field, c->value);
	if (c->norm != NULL)
		ck_assert_str_eq(norm, c->norm);
}
END_TEST

/* Turkish upper case of a lower-case UTF-8 name: i -> İ, ı -> I. */
static void
tr_upper(const char *in, char *out, size_t len)
{
	static const char *const map[][2] = {
		{ "i", "İ" }, { "ı", "I" }, { "ş", "Ş" }, { "ğ", "Ğ" },
		{ "ç", "Ç" }, { "ö", "Ö" }, { "ü", "Ü" },
	};
	size_t	 i, n = 0, l;

	while (*in != '\0' && n + 4 < len) {
		for (i = 0; i < nitems(map); i++) {
			l = strlen(map[i][0]);
			if (strncmp(in, map[i][0], l) == 0)
				break;
		}
		if (i < nitems(map)) {
			memcpy(out + n, map[i][1], strlen(map[i][1]));
			n += strlen(map[i][1]);
			in += l;
		} else {
			out[n++] = (*in >= 'a' && *in <= 'z') ? *in - 32 : *in;
			in++;
		}
	}
	out[n] = '\0';
}

/* Turkish lower case of a name as spelled (İ -> i, I -> ı). */
static void
tr_lower(const char *in, char *out, size_t len)
{
	static const char *const map[][2] = {
		{ "İ", "i" }, { "I", "ı" }, { "Ş", "ş" }, { "Ç", "ç" },
		{ "Ö", "ö" }, { "Ü", "ü" },
	};
	size_t	 i, n = 0, l;

	while (*in != '\0' && n + 4 < len) {
		for (i = 0; i < nitems(map); i++) {
			l = strlen(map[i][0]);
			if (strncmp(in, map[i][0], l) == 0)
				break;
		}
		if (i < nitems(map)) {
			memcpy(out + n, map[i][1], strlen(map[i][1]));
			n += strlen(map[i][1]);
			in += l;
		} else {
			out[n++] = (*in >= 'A' && *in <= 'Z') ? *in + 32 : *in;
			in++;
		}
	}
	out[n] = '\0';
}

/* Every plate code: its name in both Turkish cases, its postal codes. */
START_TEST(test_provinces)
{
	struct validate_ctx	 ctx = { NULL, NULL, NULL, NOW };
	const char		*name;
	char			 lower[64], upper[64], code[8], norm[64];
	char			 why[VALIDATE_WHY];
	int			 p, other;

	for (p = 1; p <= 81; p++) {
		name = validate_province_name(p);
		ck_assert_ptr_nonnull(name);
		tr_lower(name, lower, sizeof(lower));
		tr_upper(lower, upper, sizeof(upper));
		ck_assert_int_eq(validate_province(name), p);
		ck_assert_msg(validate_province(lower) == p, "%s", lower);
		ck_assert_msg(validate_province(upper) == p, "%s", upper);
		snprintf(code, sizeof(code), "%02d", p);
		ck_assert_int_eq(validate_province(code), p);
		snprintf(code, sizeof(code), "%02d100", p);
		ctx.province = upper;
		ck_assert_msg(validate_field("postal_code", code, &ctx, norm,
		    sizeof(norm), why, sizeof(why)) == VALIDATE_OK, "%s %s: %s",
		    code, upper, why);
		other = p % 81 + 1;
		ctx.province = validate_province_name(other);
		ck_assert_msg(validate_field("postal_code", code, &ctx, norm,
		    sizeof(norm), why, sizeof(why)) != VALIDATE_OK, "%s %s",
		    code, ctx.province);
	}
	ck_assert_ptr_null(validate_province_name(0));
	ck_assert_ptr_null(validate_province_name(82));
	ck_assert_int_eq(validate_province("0"), 0);
}
END_TEST

/*
 * The district table: 973 in all, 51 central ones (the 30 metropolitan
 * provinces have none), each accepted in its province in Turkish upper
 * and lower case, and refused in the next province unless it has a
 * district of the same name.
 */
START_TEST(test_districts)
{
	static const struct {
		int	 plate;
		size_t	 n;
	} counts[] = {
		{ 6, 25 }, { 7, 19 }, { 8, 9 }, { 16, 17 }, { 30, 5 },
		{ 34, 39 }, { 35, 30 }, { 42, 31 }, { 68, 8 }, { 69, 3 },
		{ 76, 4 }, { 81, 8 },
	};
	struct validate_ctx	 ctx = { NULL, NULL, NULL, NOW };
	char			 name[64], lower[64], upper[64], norm[128];
	char			 other[128], why[VALIDATE_WHY];
	size_t			 i, total = 0, merkez = 0, n;
	int			 p, next;

	for (p = 1; p <= 81; p++) {
		n = validate_district_count(p);
		ck_assert_msg(n >= 3, "plate %d: %zu districts", p, n);
		total += n;
		for (i = 0; i < n; i++) {
			ck_assert_ptr_nonnull(validate_district_name(p, i, name,
			    sizeof(name)));
			merkez += strcmp(name, "Merkez") == 0;
			tr_lower(name, lower, sizeof(lower));
			tr_upper(lower, upper, sizeof(upper));
			ctx.province = validate_province_name(p);
			ck_assert_msg(validate_field("district", upper, &ctx,
			    norm, sizeof(norm), why, sizeof(why)) ==
			    VALIDATE_OK, "%s in %s: %s", upper, ctx.province,
			    why);
			ck_assert(validate_district(p, lower, norm,
			    sizeof(norm)));
			next = p % 81 + 1;
			if (strcmp(name, "Merkez") == 0 ||
			    validate_district(next, name, other, sizeof(other)))
				continue;
			ctx.province = validate_province_name(next);
			ck_assert_msg(validate_field("district", name, &ctx,
			    norm, sizeof(norm), why, sizeof(why)) ==
			    VALIDATE_BAD, "%s in %s", name, ctx.province);
			ck_assert_msg(strstr(why, validate_province_name(p)) !=
			    NULL, "%s: %s", name, why);
		}
		ck_assert_ptr_null(validate_district_name(p, n, name,
		    sizeof(name)));
	}
	ck_assert_uint_eq(total, 973);
	ck_assert_uint_eq(merkez, 51);
	for (i = 0; i < nitems(counts); i++)
		ck_assert_uint_eq(validate_district_count(counts[i].plate),
		    counts[i].n);
	ck_assert_uint_eq(validate_district_count(0), 0);
	ck_assert_uint_eq(validate_district_count(82), 0);
	ck_assert_int_eq(validate_district_where("Çankaya", 0), 6);
	ck_assert_int_eq(validate_district_where("Kemalpaşa", 0), 8);
	ck_assert_int_eq(validate_district_where("Kemalpaşa", 8), 35);
	ck_assert_int_eq(validate_district_where("Atlantis", 0), 0);
}
END_TEST

/* The portal's labels name the fields they stand for. */
START_TEST(test_labels)
{
	ck_assert_str_eq(validate_field_name("registry_no"), "registry_no");
	ck_assert_str_eq(validate_field_name("Kurum Sicil No"), "registry_no");
	ck_assert_str_eq(validate_field_name("ADI"), "name");
	ck_assert_str_eq(validate_field_name("Soyadı"), "surname");
	ck_assert_str_eq(validate_field_name("Çalıştığı Birim"), "unit");
	ck_assert_str_eq(validate_field_name("Kurum / Birim Adresi"),
	    "address");
	ck_assert_str_eq(validate_field_name("Mobil Operatör Tipi"),
	    "operator");
	ck_assert_str_eq(validate_field_name("Bilgi Kanalı"), "info_channel");
	ck_assert_ptr_null(validate_field_name("Favori Renk"));
}
END_TEST

START_TEST(test_fold)
{
	char	 a[64], b[64];

	validate_fold("İSTANBUL", a, sizeof(a));
	validate_fold("istanbul", b, sizeof(b));
	ck_assert_str_eq(a, b);
	validate_fold("KIRKLARELİ", a, sizeof(a));
	validate_fold("kırklareli", b, sizeof(b));
	ck_assert_str_eq(a, b);
	ck_assert_str_eq(a, "kirklareli");
}
END_TEST

START_TEST(test_operator_hints)
{
	ck_assert_str_eq(validate_operator_hint("5011234567"), "Türk Telekom");
	ck_assert_str_eq(validate_operator_hint("5551234567"), "Türk Telekom");
	ck_assert_str_eq(validate_operator_hint("5301234567"), "Turkcell");
	ck_assert_str_eq(validate_operator_hint("5491234567"), "Vodafone");
	ck_assert_str_eq(validate_operator_hint("5101234567"), "virtual");
	ck_assert_str_eq(validate_operator_hint("5161234567"), "virtual");
	ck_assert_str_eq(validate_operator_hint("5611234567"), "virtual");
	ck_assert_ptr_null(validate_operator_hint("5021234567"));
	ck_assert_ptr_null(validate_operator_hint("3121234567"));
}
END_TEST

START_TEST(test_known)
{
	size_t	 i;

	for (i = 0; validate_fields[i] != NULL; i++)
		ck_assert(validate_known(validate_fields[i]));
	ck_assert(validate_known("security_word"));
	ck_assert(!validate_known("eonay"));
}
END_TEST

/* What may go into RCPT TO and To: (the D1 injection), and what may not. */
static const struct {
	const char	*addr;
	int		 ok;
} mailboxes[] = {
	{ "ayse.yilmaz@meb.gov.tr", 1 },
	{ "a@b", 1 },
	{ "o'brien+nes@okul-1.example.test", 1 },
	{ "x@example.org\r\nRCPT TO:<saldirgan@example.net>", 0 },
	{ "x@example.org>\r\nDATA", 0 },
	{ "x@example.org\n", 0 },
	{ "x@exam\tple.org", 0 },
	{ "x y@example.org", 0 },
	{ "<x@example.org>", 0 },
	{ "\"x y\"@example.org", 0 },
	{ "x@[127.0.0.1]", 0 },
	{ "x@@example.org", 0 },
	{ "x@y@example.org", 0 },
	{ "@example.org", 0 },
	{ "x@", 0 },
	{ "x", 0 },
	{ "", 0 },
	{ ".x@example.org", 0 },
	{ "x.@example.org", 0 },
	{ "x..y@example.org", 0 },
	{ "x@.example.org", 0 },
	{ "x@example..org", 0 },
	{ "x@example.org.", 0 },
	{ "x@-example.org", 0 },
	{ "x@example-.org", 0 },
	{ "x@ex_ample.org", 0 },
	{ "ay\xc5\x9f" "e@meb.gov.tr", 0 },
	{ "x@\xc3\xb6rnek.tr", 0 },
};

START_TEST(test_mailbox)
{
	ck_assert_msg(validate_mailbox(mailboxes[_i].addr) ==
	    mailboxes[_i].ok, "validate_mailbox(\"%s\") != %d",
	    mailboxes[_i].addr, mailboxes[_i].ok);
}
END_TEST

START_TEST(test_mailbox_lengths)
{
	char	 buf[300];

	memset(buf, 'a', 64);
	strcpy(buf + 64, "@example.org");
	ck_assert(validate_mailbox(buf));
	memset(buf, 'a', 65);
	strcpy(buf + 65, "@example.org");
	ck_assert(!validate_mailbox(buf));
	strcpy(buf, "a@");
	memset(buf + 2, 'b', 63);
	strcpy(buf + 65, ".org");
	ck_assert(validate_mailbox(buf));
	memset(buf + 2, 'b', 64);
	strcpy(buf + 66, ".org");
	ck_assert(!validate_mailbox(buf));
	ck_assert(!validate_mailbox(NULL));
}
END_TEST

static Suite *
validate_suite(void)
{
	Suite	*s = suite_create("validate");
	TCase	*tc;

	tc = tcase_create("fields");
	tcase_add_loop_test(tc, test_table, 0, nitems(vcases));
	tcase_add_test(tc, test_known);
	suite_add_tcase(s, tc);
	tc = tcase_create("provinces");
	tcase_add_test(tc, test_provinces);
	tcase_add_test(tc, test_fold);
	tcase_add_test(tc, test_districts);
	tcase_add_test(tc, test_labels);
	suite_add_tcase(s, tc);
	tc = tcase_create("mailbox");
	tcase_add_loop_test(tc, test_mailbox, 0, nitems(mailboxes));
	tcase_add_test(tc, test_mailbox_lengths);
	suite_add_tcase(s, tc);
	tc = tcase_create("phones");
	tcase_add_test(tc, test_operator_hints);
	suite_add_tcase(s, tc);
	return (s);
}

const struct unit_test unit_test = { validate_suite, NULL, NULL };
