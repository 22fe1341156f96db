/* SPDX-License-Identifier: ISC */
/*
 * case-rules.c - the one statement of what a case may do: the names of
 * its kinds, states and events (as the store keeps them and the protocol
 * sends them), and the rule table. For each kind, a rule says which event
 * moves which state where, what the holder is told then and what the new
 * state waits for; the engine (renewal.c) moves cases by it, and what the
 * holder may do next (case_rule_allowed) is read from it too. The table
 * makes this file long: it is data, kept whole so a state's rules read in
 * one place.
 */

#include "autoconf.h"

#include <string.h>

#include "case.h"
#include "config.h"
#include "nitems.h"
#include "nls.h"
#include "renewal-int.h"

static const struct case_kind_name {
	const char	*name;
	const char	*words;		/* the form's başvuru nedeni */
} case_kinds[CASE_NKINDS] = {
	[CASE_KIND_NONE] = { "", NULL },
	[CASE_KIND_RENEWAL] = { "renewal", "Yenileme" },
	[CASE_KIND_LOST] = { "lost", "Kayıp/Çalıntı" },
	[CASE_KIND_REPLACEMENT] = { "replacement", NULL },	/* by reason */
	[CASE_KIND_FIRST] = { "first", "İlk Başvuru" },
};

static const char *const case_states[CASE_NSTATES] = {
	[CASE_NONE] = "",
	[CASE_OPENED] = "opened",
	[CASE_APPLIED] = "applied",
	[CASE_POSTED] = "posted",
	[CASE_APPROVED] = "approved",
	[CASE_PAID] = "paid",
	[CASE_IN_PRODUCTION] = "in_production",
	[CASE_SHIPPED] = "shipped",
	[CASE_REPORTED] = "reported",
	[CASE_SUSPENDED] = "suspended",
	[CASE_RESUMED] = "resumed",
	[CASE_REVOKED] = "revoked",
	[CASE_DONE] = "done",
	[CASE_CANCELLED] = "cancelled",
	[CASE_CLOSED] = "closed",
};

static const struct case_event_name {
	const char	*name;
	int		 nesd;		/* nesd's own: no method sends it */
} case_events[CASE_NEVENTS] = {
	[CASE_EV_NONE] = { "", 1 },
	[CASE_EV_START] = { "start", 0 },
	[CASE_EV_APPLY] = { "apply", 0 },
	[CASE_EV_POST] = { "post", 0 },
	[CASE_EV_APPROVE] = { "approve", 0 },
	[CASE_EV_PRODUCE] = { "produce", 0 },
	[CASE_EV_SHIP] = { "ship", 0 },
	[CASE_EV_CANCEL] = { "cancel", 0 },
	[CASE_EV_SUSPEND] = { "suspend", 0 },
	[CASE_EV_REVOKE] = { "revoke", 0 },
	[CASE_EV_FOUND] = { "found", 0 },
	[CASE_EV_PAY] = { "pay", 0 },
	[CASE_EV_DEADLINE] = { "deadline", 1 },
	[CASE_EV_LAPSE] = { "lapse", 1 },
	[CASE_EV_REMIND_POST] = { "remind_post", 1 },
	[CASE_EV_COURIER_HINT] = { "courier_hint", 1 },
	[CASE_EV_EVIDENCE] = { "evidence", 1 },
	[CASE_EV_OCSP_HOLD] = { "ocsp_hold", 1 },
	[CASE_EV_OCSP_REVOKED] = { "ocsp_revoked", 1 },
	[CASE_EV_OCSP_GOOD] = { "ocsp_good", 1 },
};

/* Sets of events and states are bits of an unsigned. */
_Static_assert(CASE_NEVENTS <= 32 && CASE_NSTATES <= 32 &&
    CASE_NKINDS <= 32, "a set of case names no longer fits in unsigned");

/* The table's shorthands: a set of states, and the rule's "no change". */
#define S(x)	CASE_BIT(CASE_##x)
#define STAYS	CASE_NONE
#define SAME	CASE_KIND_NONE

/* Where a case can still move: cancel and evidence apply in each. */
#define OPEN	(S(OPENED) | S(APPLIED) | S(POSTED) | S(APPROVED) | \
	S(PAID) | S(IN_PRODUCTION) | S(SHIPPED) | S(REPORTED) | \
	S(SUSPENDED) | S(RESUMED) | S(REVOKED))
/* Applied, and production may have started: the card is awaited. */
#define WAITING	(S(APPLIED) | S(POSTED) | S(APPROVED) | S(PAID) | \
	S(IN_PRODUCTION) | S(SHIPPED))

static const struct case_rule case_rules[] = {
	/* Openings. */
	{ K_RENEWAL, S(NONE), CASE_EV_START, CASE_OPENED, SAME,
	  T_DEADLINE | T_LAPSE, 0,
	  N_("Renewal (Yenileme) opened. Now: check that your personnel "
	  "record (MEBBİS / e-personel), e-mail address and mobile number "
	  "are current, since your institution approves the application "
	  "against them; open the application portal (nesctl renew open) "
	  "and fill the form (nesctl renew form shows it prefilled and "
	  "checked); sign it with the method below; then run nesctl renew "
	  "applied --method METHOD."), P_PORTAL },
	{ K_FIRST, S(NONE), CASE_EV_START, CASE_OPENED, SAME, 0, 0,
	  N_("First application opened. Log in to the application portal "
	  "(nesctl renew open) with your TCKN, name, surname, place and date "
	  "of birth exactly as in the civil registry, fill the form (nesctl "
	  "renew form), confirm the SMS code, then choose Islak İmzalı "
	  "Başvuru, print the form and sign it by hand; then run nesctl renew "
	  "applied --method islak."), P_PORTAL },
	{ K_LOST, S(NONE), CASE_EV_START, CASE_REPORTED, SAME, 0, 0,
	  N_("Loss (Kayıp/Çalıntı) reported. Now: log in to Kamu SM Online "
	  "İşlemler with e-Devlet (https://onlineislemler.kamusm.gov.tr, "
	  "nesctl renew open), NES İşlemleri → Bireysel İşlemler, and choose "
	  "Askıya Alma (suspend) and press Kullanıma Kapat if the card may "
	  "turn up, or Sertifikamı İptal Et (revoke) and press İptal Et if "
	  "not; the Kamu SM call centre is 444 5 576. nesd confirms the "
	  "change by OCSP and moves this case on its own."), P_LOSS },
	/*
	 * The guides tell the holder to revoke only after a loss; for a
	 * replacement they say Kamu SM revokes the holder's certificates of
	 * the institution when it produces the new one.
	 */
	{ K_REPLACEMENT, S(NONE), CASE_EV_START, CASE_REPORTED, SAME, 0, 0,
	  N_("Replacement opened. Do not revoke the old certificate "
	  "yourself: the guides say Kamu SM revokes your certificates from "
	  "the same institution when it produces the new one. For a locked "
	  "PIN, first try Kilit Çözme in Kamu SM Online İşlemler "
	  "(https://onlineislemler.kamusm.gov.tr) with your PUK, or call "
	  "444 5 576: a card that unlocks needs no replacement. Otherwise "
	  "apply in the application portal (PIN/PUK Kayıp/Çalıntı, Donanım "
	  "Arızası or Kimlik Bilgisi Güncelleme), then run nesctl renew "
	  "applied --method METHOD."), P_PORTAL },

	/* Renewal and first application. */
	{ K_RENEWAL | K_FIRST, S(OPENED), CASE_EV_APPLY, CASE_APPLIED, SAME,
	  T_POST | T_COURIER | T_LAPSE, R_METHOD | R_CLOCK | R_ISLAK | R_ROUTE,
	  N_("Application recorded, signed by hand. Print the PDF form "
	  "(Başvuru Formunu Aç; black and white, A4, one page), sign it "
	  "bottom right in blue pen, with no corrections, and send it the "
	  "way your institution asks; then run nesctl renew posted. nesd "
	  "reminds you until you do."), P_SAME },
	{ K_RENEWAL | K_FIRST, S(OPENED), CASE_EV_APPLY, CASE_APPLIED, SAME,
	  T_COURIER | T_LAPSE, R_METHOD | R_CLOCK | R_NOT_ISLAK,
	  N_("Application recorded. Next: your institution's e-signature "
	  "officer approves it (Kurum yetkilisi onayı); nesctl renew "
	  "notify-officer composes an e-mail asking for it. When it is "
	  "approved, run nesctl renew approved."), P_SAME },
	{ K_RENEWAL | K_FIRST, S(APPLIED), CASE_EV_POST, CASE_POSTED, SAME,
	  T_COURIER, R_ISLAK,
	  N_("Form recorded as handed over. Next: it reaches Kamu SM and "
	  "your institution's e-signature officer approves the application "
	  "(Kurum yetkilisi onayı); run nesctl renew approved when it "
	  "is."), P_SAME },
	{ K_RENEWAL | K_FIRST, S(APPLIED), CASE_EV_APPROVE, CASE_APPROVED, SAME,
	  T_COURIER, R_NOT_ISLAK,
	  N_("Approval recorded. Kamu SM produces the card (a renewal not "
	  "before the production window opens) and sends it by courier to "
	  "the institution address on the form. nesd closes this case when "
	  "it sees the new certificate."), P_SAME },
	{ K_RENEWAL | K_FIRST, S(POSTED), CASE_EV_APPROVE, CASE_APPROVED, SAME,
	  T_COURIER, 0,
	  N_("Approval recorded. Kamu SM produces the card (a renewal not "
	  "before the production window opens) and sends it by courier to "
	  "the institution address on the form. nesd closes this case when "
	  "it sees the new certificate."), P_SAME },
	{ K_RENEWAL, S(OPENED), CASE_EV_DEADLINE, STAYS, SAME, 0, R_NOTIFY,
	  N_("Last call: the day to apply for the renewal has come and no "
	  "application is recorded. Apply today (nesctl renew open). Once "
	  "the certificate expires, only a new application with a "
	  "hand-signed form is possible, unless you gave E-Onay."), P_SAME },
	{ K_RENEWAL, S(OPENED) | S(APPLIED), CASE_EV_LAPSE, CASE_OPENED,
	  CASE_KIND_FIRST, 0, R_NOTIFY,
	  N_("The certificate expired while the renewal was still open, so "
	  "it can no longer be renewed: this case is now a first "
	  "application. Apply again through the portal (nesctl renew open); "
	  "unless you gave E-Onay before, sign the form by hand (Islak "
	  "İmzalı Başvuru) and have it posted: production starts when it "
	  "reaches Kamu SM."), P_PORTAL },

	/* Loss and replacement: suspend or revoke, apply, pay, post. */
	{ K_LOSS, S(REPORTED), CASE_EV_SUSPEND, CASE_SUSPENDED, SAME, 0, 0,
	  N_("Suspension (Askıya Alma) recorded on your word; nesd waits for "
	  "OCSP to confirm it. If the card turns up, lift the suspension "
	  "(Askıdan İndirme) and run nesctl lost found; if not, revoke the "
	  "certificate (Sertifikamı İptal Et → İptal Et)."), P_SAME },
	{ K_LOSS, S(REPORTED), CASE_EV_OCSP_HOLD, CASE_SUSPENDED, SAME, 0,
	  R_NOTIFY,
	  N_("OCSP confirms that the certificate is suspended. If the card "
	  "turns up, lift the suspension (Askıdan İndirme) in Online "
	  "İşlemler and run nesctl lost found; if not, revoke the "
	  "certificate (Sertifikamı İptal Et → İptal Et)."), P_SAME },
	{ K_LOSS, S(REPORTED) | S(SUSPENDED), CASE_EV_REVOKE, CASE_REVOKED,
	  SAME, 0, R_ALL_GO,
	  N_("The certificate is revoked. Now apply for a new one, in Online "
	  "İşlemler: Başvuru İşlemleri → Kişi Ödemeli Başvuru → Kurum "
	  "Seçimi, choose your ministry and press Devam (nesctl renew open "
	  "goes there). The form (nesctl renew form shows it) asks the "
	  "certificate's years, a mini card reader if you want one, whether "
	  "the certificate is published, your contact details and the "
	  "delivery address; the prices shown there are the ones that "
	  "count. Confirm the SMS code (Cep Telefonu Doğrulama), then run "
	  "nesctl renew applied --method METHOD."), P_APPLY },
	{ K_LOSS, S(REPORTED) | S(SUSPENDED) | S(RESUMED), CASE_EV_OCSP_REVOKED,
	  CASE_REVOKED, SAME, 0, R_NOTIFY | R_ALL_GO,
	  N_("OCSP confirms that the certificate is revoked. Now apply for a "
	  "new one, in Online İşlemler: Başvuru İşlemleri → Kişi Ödemeli "
	  "Başvuru → Kurum Seçimi, choose your ministry and press Devam "
	  "(nesctl renew open goes there; nesctl renew form shows the form). "
	  "Confirm the SMS code (Cep Telefonu Doğrulama), then run nesctl "
	  "renew applied --method METHOD."), P_APPLY },
	{ K_LOSS, S(REPORTED), CASE_EV_FOUND, CASE_CLOSED, SAME, 0, R_CLOSE,
	  N_("Card found before anything was suspended or revoked: the case "
	  "is closed."), P_SAME },
	{ K_LOSS, S(SUSPENDED), CASE_EV_FOUND, CASE_RESUMED, SAME, 0, 0,
	  N_("Card found. Lift the suspension in Online İşlemler: NES "
	  "İşlemleri → Bireysel İşlemler → Askıdan İndirme; nesd closes this "
	  "case when OCSP says the certificate is good again."), P_FOUND },
	{ K_LOSS, S(SUSPENDED) | S(RESUMED), CASE_EV_OCSP_GOOD, CASE_CLOSED,
	  SAME, 0, R_NOTIFY | R_CLOSE,
	  N_("OCSP says the certificate is good again: the case is "
	  "closed."), P_SAME },
	{ K_LOSS, S(REVOKED), CASE_EV_APPLY, CASE_APPLIED, SAME, 0,
	  R_METHOD | R_ISLAK,
	  N_("Personal-payment application recorded. Pay the fee now, before "
	  "anything else: on Kamu SM's virtual POS "
	  "(https://sanalpos.kamusm.gov.tr, nesctl renew open), Borç "
	  "Sorgulama ve Ödeme: Gerçek, your TCKN, place and date of birth, "
	  "then Borç Sorgula and pay by card. Then run nesctl lost paid; the "
	  "signed form comes after."), P_PAY },
	{ K_LOSS, S(REVOKED), CASE_EV_APPLY, CASE_APPLIED, SAME, 0,
	  R_METHOD | R_NOT_ISLAK,
	  N_("Personal-payment application recorded. Pay the fee now: on "
	  "Kamu SM's virtual POS (https://sanalpos.kamusm.gov.tr, nesctl "
	  "renew open), Borç Sorgulama ve Ödeme: Gerçek, your TCKN, place "
	  "and date of birth, then Borç Sorgula and pay by card. Then run "
	  "nesctl lost paid."), P_PAY },
	{ K_LOSS, S(APPLIED), CASE_EV_PAY, CASE_PAID, SAME, T_POST,
	  R_ISLAK | R_ROUTE,
	  N_("Payment recorded: it shows up at Kamu SM in about 5 minutes. "
	  "Production starts once the signed form has reached Kamu SM too: "
	  "print the form, sign it bottom right in blue pen, with no "
	  "corrections, and send it the way your institution asks; then run "
	  "nesctl renew posted. nesd reminds you until you do."), P_SAME },
	{ K_REPLACEMENT, S(REPORTED), CASE_EV_APPLY, CASE_APPLIED, SAME, 0,
	  R_METHOD,
	  N_("Personal-payment application recorded. Pay the fee now: on "
	  "Kamu SM's virtual POS (https://sanalpos.kamusm.gov.tr, nesctl "
	  "renew open), Borç Sorgulama ve Ödeme: Gerçek, your TCKN, place "
	  "and date of birth, then Borç Sorgula and pay by card. Then run "
	  "nesctl lost paid."), P_PAY },
	{ K_LOSS, S(APPLIED), CASE_EV_PAY, CASE_PAID, SAME, T_COURIER,
	  R_CLOCK | R_NOT_ISLAK,
	  N_("Payment recorded: it shows up at Kamu SM in about 5 minutes "
	  "and production starts at once. The card comes by courier to the "
	  "address on the form; nesd closes this case when it sees the new "
	  "certificate."), P_SAME },
	{ K_LOSS, S(PAID), CASE_EV_POST, CASE_POSTED, SAME, T_COURIER,
	  R_CLOCK | R_ISLAK,
	  N_("Form recorded as sent. Production starts as soon as it reaches "
	  "Kamu SM, the payment being there already; the card comes by "
	  "courier to the address on the form, and nesd closes this case "
	  "when it sees the new certificate."), P_SAME },

	/* Every kind. */
	{ K_ANY, S(APPLIED) | S(PAID), CASE_EV_REMIND_POST, STAYS, SAME, 0,
	  R_NOTIFY | R_ROUTE,
	  N_("Reminder: the hand-signed application form is not recorded as "
	  "posted yet, and production starts only when it reaches Kamu SM. "
	  "Send it the way your institution asks, then run nesctl renew "
	  "posted."), P_SAME },
	{ K_FIRST | K_RENEWAL, S(APPROVED), CASE_EV_PRODUCE, CASE_IN_PRODUCTION,
	  SAME, T_COURIER, R_PRODUCTION,
	  N_("Production recorded. The card comes by courier to the "
	  "institution address on the form, usually within 10 to 15 "
	  "days."), P_SAME },
	{ K_LOSS, S(PAID), CASE_EV_PRODUCE, CASE_IN_PRODUCTION, SAME,
	  T_COURIER, R_NOT_ISLAK,
	  N_("Production recorded. The card comes by courier to the "
	  "institution address on the form, usually within 10 to 15 "
	  "days."), P_SAME },
	{ K_LOSS, S(POSTED), CASE_EV_PRODUCE, CASE_IN_PRODUCTION, SAME,
	  T_COURIER, 0,
	  N_("Production recorded. The card comes by courier to the "
	  "institution address on the form, usually within 10 to 15 "
	  "days."), P_SAME },
	{ K_FIRST | K_RENEWAL, S(APPROVED), CASE_EV_SHIP, CASE_SHIPPED, SAME,
	  T_COURIER, R_PRODUCTION,
	  N_("Shipping recorded. When the card arrives, put it in the "
	  "reader: nesd closes this case when it sees the new certificate. "
	  "Then create the card's PIN through e-Devlet."), P_SAME },
	{ K_ANY, S(IN_PRODUCTION), CASE_EV_SHIP, CASE_SHIPPED, SAME, T_COURIER,
	  0,
	  N_("Shipping recorded. When the card arrives, put it in the "
	  "reader: nesd closes this case when it sees the new certificate. "
	  "Then create the card's PIN through e-Devlet."), P_SAME },
	{ K_LOSS, S(PAID), CASE_EV_SHIP, CASE_SHIPPED, SAME, T_COURIER,
	  R_NOT_ISLAK,
	  N_("Shipping recorded. When the card arrives, put it in the "
	  "reader: nesd closes this case when it sees the new certificate. "
	  "Then create the card's PIN through e-Devlet."), P_SAME },
	{ K_LOSS, S(POSTED), CASE_EV_SHIP, CASE_SHIPPED, SAME, T_COURIER, 0,
	  N_("Shipping recorded. When the card arrives, put it in the "
	  "reader: nesd closes this case when it sees the new certificate. "
	  "Then create the card's PIN through e-Devlet."), P_SAME },
	{ K_ANY, WAITING, CASE_EV_COURIER_HINT, STAYS, SAME, 0, R_NOTIFY,
	  N_("No new card has been seen although production should have "
	  "started a while ago. Ask about the delivery (kurye takip): Kamu "
	  "SM's web site has a KURYE TAKİP query, and its numbers are 0262 "
	  "648 1818 and the call centre 444 5 576; your institution's "
	  "e-signature officer may know too."), P_SAME },
	{ K_ANY, OPEN, CASE_EV_EVIDENCE, CASE_DONE, SAME, 0, R_NOTIFY | R_CLOSE,
	  N_("A new certificate of the same holder, valid for longer, has "
	  "been seen: this case is done and the reminders for the old "
	  "certificate stop. Create the new card's PIN through e-Devlet "
	  "(Kamu SM, PIN işlemleri) before you use it."), P_SAME },
	{ K_ANY, OPEN, CASE_EV_CANCEL, CASE_CANCELLED, SAME, 0, R_CLOSE,
	  N_("Case cancelled. Open a new one when you need to."), P_SAME },
};

/*
 * The pages, by the case_page of the rules. The portal shows its own
 * steps; Online İşlemler is entered with e-Devlet.
 */
const struct case_page_def case_pages[P_NPAGES] = {
	[P_SAME] = { CASE_URL_PORTAL, NULL },
	[P_PORTAL] = { CASE_URL_PORTAL,
	  N_("Kullanıcı Girişi: TCKN, Ad, Soyad, Doğum Yeri, Doğum Tarihi as in "
	  "the civil registry and the picture's text → Giriş → the form → "
	  "Form Onayla → Gönder (the SMS Onay Kodu) → Tamam → the signing "
	  "method") },
	[P_LOSS] = { CASE_URL_ONLINE,
	  N_("e-Devlet ile Giriş → NES İşlemleri → Bireysel İşlemler → "
	  "Askıya Alma → Kullanıma Kapat, or Sertifikamı İptal Et → İptal "
	  "Et") },
	[P_FOUND] = { CASE_URL_ONLINE,
	  N_("e-Devlet ile Giriş → NES İşlemleri → Bireysel İşlemler → "
	  "Askıdan İndirme") },
	[P_APPLY] = { CASE_URL_ONLINE,
	  N_("e-Devlet ile Giriş → NES İşlemleri → Bireysel İşlemler → Başvuru "
	  "İşlemleri → Kişi Ödemeli Başvuru → Kurum Seçimi → %s → Devam → "
	  "the form → Cep Telefonu Doğrulama (the SMS code) → Devam") },
	[P_PAY] = { CASE_URL_PAYMENT,
	  N_("Borç Sorgulama ve Ödeme Ekranı: Gerçek, TCKN, Doğum Yeri, Doğum "
	  "Tarihi and the picture's text → Borç Sorgula → pay by card; the "
	  "payment shows up in about 5 minutes") },
};

/* paper_route: who sends the hand-signed form to Kamu SM. */
const struct case_route case_routes[] = {
	[CONFIG_ROUTE_POST] = { "post",
	  N_("Send the signed form yourself, by courier or registered post, "
	  "to Kamu SM: %s. Your institution's guide says you must post it "
	  "yourself.") },
	[CONFIG_ROUTE_OFFICER] = { "officer",
	  N_("Hand the signed form to your institution's e-signature "
	  "representative (E-İmza temsilcisi), who sends it on to Kamu "
	  "SM (%s).") },
	[CONFIG_ROUTE_LETTER] = { "letter",
	  N_("Your school or institution sends the signed form to Kamu SM "
	  "with an official letter through DYS, by registered post "
	  "(iadeli taahhütlü), to: %s.") },
	[CONFIG_ROUTE_ASK] = { "ask",
	  N_("Who sends the signed form differs between institutions: you, "
	  "by courier or registered post to Kamu SM (%s); your "
	  "institution's e-signature representative; or the institution, "
	  "with an official letter through DYS. Ask yours which applies, "
	  "and set paper_route in nesd.conf (post, officer or letter) so "
	  "nesd says only that one.") },
};
const size_t case_nroutes = nitems(case_routes);


/* Timed events, in the order the timer bits are tested. */
const struct case_timed case_timed[] = {
	{ T_DEADLINE, CASE_EV_DEADLINE, 1 },
	{ T_LAPSE, CASE_EV_LAPSE, 1 },
	{ T_POST, CASE_EV_REMIND_POST, 0 },
	{ T_COURIER, CASE_EV_COURIER_HINT, 1 },
};
const size_t case_ntimed = nitems(case_timed);

const char *
case_kind_name(enum case_kind k)
{
	return ((unsigned)k < CASE_NKINDS ? case_kinds[k].name : "?");
}

const char *
case_state_name(enum case_state s)
{
	return ((unsigned)s < CASE_NSTATES ? case_states[s] : "?");
}

const char *
case_event_name(enum case_event e)
{
	return ((unsigned)e < CASE_NEVENTS ? case_events[e].name : "?");
}

int
case_kind_parse(const char *name, enum case_kind *k)
{
	unsigned	 i;

	for (i = 0; name != NULL && i < CASE_NKINDS; i++)
		if (strcmp(case_kinds[i].name, name) == 0) {
			*k = i;
			return (0);
		}
	return (-1);
}

int
case_state_parse(const char *name, enum case_state *s)
{
	unsigned	 i;

	for (i = 0; name != NULL && i < CASE_NSTATES; i++)
		if (strcmp(case_states[i], name) == 0) {
			*s = i;
			return (0);
		}
	return (-1);
}

int
case_event_parse(const char *name, enum case_event *e)
{
	unsigned	 i;

	for (i = 0; name != NULL && i < CASE_NEVENTS; i++)
		if (strcmp(case_events[i].name, name) == 0) {
			*e = i;
			return (0);
		}
	return (-1);
}

int
case_event_by_nesd(enum case_event e)
{
	return ((unsigned)e >= CASE_NEVENTS || case_events[e].nesd);
}

const char *
case_kind_words(enum case_kind k)
{
	return ((unsigned)k < CASE_NKINDS ? case_kinds[k].words : NULL);
}

/* Whether a rule's method guard lets method through. */
static int
case_rule_guard(const struct case_rule *r, const char *method)
{
	int	 islak = method != NULL && strcmp(method, "islak") == 0;

	if ((r->flags & R_ISLAK) && !islak)
		return (0);
	if ((r->flags & R_NOT_ISLAK) && islak)
		return (0);
	return (1);
}

const struct case_rule *
case_rule_find(enum case_kind kind, enum case_state state,
    enum case_event event, const char *method, int *exists)
{
	const struct case_rule	*r;
	size_t			 i;

	if (exists != NULL)
		*exists = 0;
	if ((unsigned)kind >= CASE_NKINDS || (unsigned)state >= CASE_NSTATES)
		return (NULL);
	for (i = 0; i < nitems(case_rules); i++) {
		r = &case_rules[i];
		if ((r->kinds & CASE_BIT(kind)) == 0 || r->event != event ||
		    (r->from & CASE_BIT(state)) == 0)
			continue;
		if (exists != NULL)
			*exists = 1;
		if (case_rule_guard(r, method))
			return (r);
	}
	return (NULL);
}

unsigned
case_rule_allowed(enum case_kind kind, enum case_state state,
    const char *method)
{
	const struct case_rule	*r;
	unsigned		 bits = 0;
	size_t			 i;

	if ((unsigned)kind >= CASE_NKINDS || (unsigned)state >= CASE_NSTATES)
		return (0);
	for (i = 0; i < nitems(case_rules); i++) {
		r = &case_rules[i];
		if ((r->kinds & CASE_BIT(kind)) == 0 ||
		    (r->from & CASE_BIT(state)) == 0 ||
		    case_event_by_nesd(r->event) || r->event == CASE_EV_START)
			continue;
		if ((r->flags & R_METHOD) || case_rule_guard(r, method))
			bits |= CASE_BIT(r->event);
	}
	return (bits);
}
