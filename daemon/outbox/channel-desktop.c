/* SPDX-License-Identifier: ISC */
/*
 * channel-desktop.c - desktop notifications through libnotify, on a thread
 * of their own that runs a GLib main loop (action buttons need one). The
 * main loop hands a message over with g_main_context_invoke; the thread
 * posts the outcome, and any button the holder presses, back through an
 * mq. GLib types never leave this file.
 */

#include "autoconf.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <libnotify/notify.h>

#include "channel.h"
#include "config.h"
#include "events.h"
#include "log.h"
#include "mq.h"
#include "nls.h"
#include "store-reminder.h"
#include "xmalloc.h"

struct desk_req {
	int64_t		 id;
	int64_t		 reminder_id;
	char		*summary;
	char		*body;
	int		 urgency;
	int		 buttons;	/* a renewal reminder: may have them */
};

/* From the GLib thread: an outcome (action NULL) or a button pressed. */
struct desk_msg {
	int64_t		 id;
	int64_t		 reminder_id;
	int		 ok;
	char		*error;
	char		*action;
};

/* What desk_init was given: the main loop's base and the bus. */
static struct event_base *desk_base;
static struct events	*desk_events;

static GMainContext	*desk_ctx;
static GMainLoop	*desk_loop;
static pthread_t	 desk_thread;
static int		 desk_started;
static struct mq	*desk_mq;
static channel_done_cb	 desk_done;
static GList		*desk_shown;	/* notifications with buttons */

static void
desk_post(int64_t id, int64_t reminder_id, int ok, const char *error,
    const char *action)
{
	struct desk_msg	*m;

	m = xcalloc(1, sizeof(*m));
	m->id = id;
	m->reminder_id = reminder_id;
	m->ok = ok;
	m->error = error != NULL ? xstrdup(error) : NULL;
	m->action = action != NULL ? xstrdup(action) : NULL;
	mq_post(desk_mq, m);
}

/* GLib thread: a button; libnotify closes the notification itself. */
static void
desk_action_cb(NotifyNotification *n, char *action, gpointer data)
{
	struct desk_req	*req = data;

	desk_post(req->id, req->reminder_id, 1, NULL, action);
}

static void
desk_closed_cb(NotifyNotification *n, gpointer data)
{
	desk_shown = g_list_remove(desk_shown, n);
	g_object_unref(n);
}

static void
desk_req_free(gpointer data)
{
	struct desk_req	*req = data;

	free(req->summary);
	free(req->body);
	free(req);
}

/* Whether the notification server has a capability ("actions"). */
static int
desk_has_cap(const char *cap)
{
	GList	*caps, *l;
	int	 yes = 0;

	caps = notify_get_server_caps();
	for (l = caps; l != NULL; l = l->next)
		if (strcmp(l->data, cap) == 0)
			yes = 1;
	g_list_free_full(caps, g_free);
	return (yes);
}

static void
desk_add_actions(NotifyNotification *n, struct desk_req *req)
{
	struct desk_req	*copy;

	copy = xcalloc(1, sizeof(*copy));
	copy->id = req->id;
	copy->reminder_id = req->reminder_id;
	notify_notification_add_action(n, "renew", _("Start renewal"),
	    desk_action_cb, copy, desk_req_free);
	notify_notification_add_action(n, "later", _("Remind me later"),
	    desk_action_cb, copy, NULL);
}

/* GLib thread: show one notification and post how it went. */
static gboolean
desk_show(gpointer data)
{
	static const NotifyUrgency urgency[] = {
	    NOTIFY_URGENCY_LOW, NOTIFY_URGENCY_NORMAL, NOTIFY_URGENCY_CRITICAL
	};
	struct desk_req		*req = data;
	NotifyNotification	*n;
	GError			*err = NULL;
	gchar			*body;
	int			 buttons = 0;

	if (!notify_is_initted() && !notify_init("nesd")) {
		desk_post(req->id, 0, 0, "libnotify: cannot initialise", NULL);
		return (G_SOURCE_REMOVE);
	}
	/*
	 * A server with body-markup reads the body as markup: a holder's
	 * name from a certificate ("Ali <b>", "Ayşe & Co") is text.
	 */
	body = desk_has_cap("body-markup") ?
	    g_markup_escape_text(req->body, -1) : g_strdup(req->body);
	n = notify_notification_new(req->summary, body, "dialog-information");
	g_free(body);
	notify_notification_set_urgency(n, urgency[req->urgency]);
	notify_notification_set_app_name(n, "nesd");
	/*
	 * A last call or an expiry stays until the holder closes it: GNOME's
	 * notification-daemon drops anything else after a few seconds.
	 */
	if (req->urgency == 2) {
		notify_notification_set_timeout(n, NOTIFY_EXPIRES_NEVER);
		notify_notification_set_hint(n, "resident",
		    g_variant_new_boolean(TRUE));
	}
	/* Buttons only where the server draws them (dunst does not). */
	if (req->buttons && (buttons = desk_has_cap("actions")))
		desk_add_actions(n, req);
	if (!notify_notification_show(n, &err)) {
		desk_post(req->id, 0, 0, err->message, NULL);
		g_error_free(err);
		g_object_unref(n);
		notify_uninit();	/* the next try connects afresh */
		return (G_SOURCE_REMOVE);
	}
	desk_post(req->id, req->reminder_id, 1, NULL, NULL);
	if (buttons) {
		g_signal_connect(n, "closed", G_CALLBACK(desk_closed_cb), NULL);
		desk_shown = g_list_prepend(desk_shown, n);
	} else
		g_object_unref(n);
	return (G_SOURCE_REMOVE);
}

static void
desk_glib_log(const gchar *domain, GLogLevelFlags level, const gchar *msg,
    gpointer data)
{
	log_debug("desktop: %s: %s", domain != NULL ? domain : "glib", msg);
}

static void *
desk_thread_main(void *arg)
{
	g_main_context_push_thread_default(desk_ctx);
	g_log_set_default_handler(desk_glib_log, NULL);
	g_main_loop_run(desk_loop);
	g_list_free_full(desk_shown, g_object_unref);
	desk_shown = NULL;
	if (notify_is_initted())
		notify_uninit();
	/*
	 * GDBus frees a dropped proxy's signal subscriptions from an idle
	 * of this context: run it, or they leak.
	 */
	while (g_main_context_iteration(desk_ctx, FALSE))
		;
	g_main_context_pop_thread_default(desk_ctx);
	return (NULL);
}

/* Main loop: an outcome goes to the outbox, a button onto the bus. */
static void
desk_msg_cb(void *msg, void *arg)
{
	struct desk_msg		*m = msg;
	struct event_action	 ea;

	if (m->action != NULL) {
		ea.reminder_id = m->reminder_id;
		ea.action = m->action;
		events_publish(desk_events, EVENT_ACTION, "desktop.action", &ea,
		    NULL);
	}
	else
		desk_done(m->id, m->ok ? CHANNEL_OK : CHANNEL_TEMPORARY,
		    m->error);
	free(m->error);
	free(m->action);
	free(m);
}

static void
desk_msg_drop(void *msg)
{
	struct desk_msg	*m = msg;

	free(m->error);
	free(m->action);
	free(m);
}

/* The thread starts with the first notification, not before. */
static void
desk_start(void)
{
	desk_ctx = g_main_context_new();
	desk_loop = g_main_loop_new(desk_ctx, FALSE);
	desk_mq = mq_new(desk_base, "desktop", desk_msg_cb, NULL);
	if (pthread_create(&desk_thread, NULL, desk_thread_main, NULL) != 0)
		fatal("desktop: pthread_create");
	desk_started = 1;
}

static void
desk_send(const struct outbox_row *o, const struct config *conf,
    channel_done_cb done)
{
	struct desk_req	*req;

	if (!desk_started)
		desk_start();
	desk_done = done;
	req = xcalloc(1, sizeof(*req));
	req->id = o->id;
	req->reminder_id = o->reminder_id;
	req->summary = xstrdup(o->subject);
	req->body = xstrdup(o->body);
	req->urgency = o->urgency < 0 || o->urgency > 2 ? 1 : o->urgency;
	/* Renewal and later make no sense on a switch-over or PIN notice. */
	req->buttons = o->reminder_id != 0 && o->kind != NULL &&
	    strcmp(o->kind, "switch") != 0 && strcmp(o->kind, "pin") != 0;
	g_main_context_invoke_full(desk_ctx, G_PRIORITY_DEFAULT, desk_show,
	    req, desk_req_free);
}

static gboolean
desk_quit(gpointer data)
{
	g_main_loop_quit(desk_loop);
	return (G_SOURCE_REMOVE);
}

static void
desk_init(struct event_base *base, struct events *events)
{
	desk_base = base;
	desk_events = events;
}

static void
desk_shutdown(void)
{
	if (!desk_started)
		return;
	g_main_context_invoke(desk_ctx, desk_quit, NULL);
	pthread_join(desk_thread, NULL);
	mq_free(desk_mq, desk_msg_drop);
	g_main_loop_unref(desk_loop);
	g_main_context_unref(desk_ctx);
	desk_started = 0;
}

static const char *
desk_unusable(const struct config *conf)
{
	return (NULL);
}

const struct channel channel_desktop = {
	"desktop", CHANNEL_DESKTOP, desk_init, desk_shutdown, desk_unusable,
	desk_send
};
