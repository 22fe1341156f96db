/* SPDX-License-Identifier: ISC */
/*
 * channel-mail.c - a reminder as an e-mail through SMTP (smtp:// with
 * STARTTLS required by default, or smtps://), with AUTH when a user name is
 * set; the password comes from a file only nesd's user can read. Each
 * message is a proper RFC 5322 text: Date, a Message-ID stable per outbox
 * message (a duplicate after a crash is recognisable), an RFC 2047 UTF-8
 * subject and a plain-text UTF-8 body.
 *
 * Messages go one at a time, on a thread of this file (mail_thread): the
 * outcome of each is stored on the main loop before the next session
 * starts, so a kill -9 leaves at most one message sent and not recorded
 * (nesd(8), "Delivery"). A thread, not the multi handle: libcurl 7.88
 * waits for the reply to the end of the message, and for the reply to
 * QUIT, in a blocking loop of its own even under the multi interface, and
 * a slow server would hold the main loop for up to two minutes.
 */

#include "autoconf.h"

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "channel.h"
#include "config.h"
#include "log.h"
#include "mq.h"
#include "store-reminder.h"
#include "validate.h"
#include "xmalloc.h"

struct mail_xfer {
	int64_t			 id;
	channel_done_cb		 done;
	CURL			*easy;
	CURLcode		 rc;		/* the thread's result */
	curl_socket_t		 fd;		/* the session's, once open */
	int			 sent;		/* the whole text was read */
	TAILQ_ENTRY(mail_xfer)	 entry;
	struct curl_slist	*rcpt;
	char			*text;
	size_t			 len;
	size_t			 off;
	char			*password;
	char			 error[CURL_ERROR_SIZE];
	char			 reply[256];	/* its last 4xx or 5xx reply */
};

/* How long mail_shutdown waits for a session to stop, in 100 ms. */
#define MAIL_STOP_TRIES	30

/* The session under way, and the messages waiting for it to end. */
static struct mail_xfer		*mail_active;
static TAILQ_HEAD(, mail_xfer)	 mail_queue = TAILQ_HEAD_INITIALIZER(mail_queue);

/* The thread: started with the first message, handed one at a time. */
static struct event_base	*mail_base;
static struct mq		*mail_mq;
static pthread_t		 mail_tid;
static int			 mail_started;
static pthread_mutex_t		 mail_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t		 mail_cond = PTHREAD_COND_INITIALIZER;
static struct mail_xfer		*mail_job;	/* under mail_lock */
static volatile sig_atomic_t	 mail_stop;	/* under mail_lock, and read */

/* RFC 5322 date, with English names whatever the locale. */
static void
mail_date(time_t t, char *buf, size_t len)
{
	static const char *const days[] = {
	    "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = {
	    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
	    "Oct", "Nov", "Dec" };
	struct tm	 tm;
	long		 off;

	localtime_r(&t, &tm);
	off = tm.tm_gmtoff / 60;
	snprintf(buf, len, "%s, %02d %s %d %02d:%02d:%02d %c%02ld%02ld",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+',
	    labs(off) / 60, labs(off) % 60);
}

/* Length of the UTF-8 sequence starting with byte c. */
static size_t
mail_utf8_len(unsigned char c)
{
	if (c >= 0xf0)
		return (4);
	if (c >= 0xe0)
		return (3);
	if (c >= 0xc0)
		return (2);
	return (1);
}

/*
 * An RFC 2047 header value: ASCII as it is, else B-encoded UTF-8 words of
 * at most 75 characters, never splitting a character, folded with CRLF SP.
 */
static char *
mail_header_word(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned char		 b64[80];
	char			*out = NULL, *tmp;
	size_t			 chunk, c, total = strlen(s);

	for (c = 0; c < total && p[c] < 0x80 && p[c] >= 0x20; c++)
		;
	if (c == total)
		return (xstrdup(s));
	out = xstrdup("");
	while (*p != '\0') {
		for (chunk = 0; p[chunk] != '\0'; chunk += c) {
			c = mail_utf8_len(p[chunk]);
			if (chunk + c > 45)
				break;
		}
		EVP_EncodeBlock(b64, p, (int)chunk);
		xasprintf(&tmp, "%s%s=?UTF-8?B?%s?=", out, *out != '\0' ?
		    "\r\n " : "", b64);
		free(out);
		out = tmp;
		p += chunk;
	}
	return (out);
}

/* The body with CRLF line ends, as SMTP wants. */
static char *
mail_crlf(const char *body)
{
	char	*out, *q;

	out = q = xmalloc(strlen(body) * 2 + 3);
	for (; *body != '\0'; body++) {
		if (*body == '\n' && (q == out || q[-1] != '\r'))
			*q++ = '\r';
		*q++ = *body;
	}
	*q = '\0';
	return (out);
}

static char *
mail_from(const struct config *conf)
{
	char	 host[256], *s;

	if (conf->mail_from != NULL)
		return (xstrdup(conf->mail_from));
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	xasprintf(&s, "nesd@%s", host);
	return (s);
}

/* The whole message text of an outbox row. */
static char *
mail_message(const struct outbox_row *o, const struct config *conf)
{
	char	 date[64], host[256], *from, *subject, *body, *text;

	mail_date(o->created, date, sizeof(date));
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	from = mail_from(conf);
	subject = mail_header_word(o->subject);
	body = mail_crlf(o->body);
	xasprintf(&text, "Date: %s\r\nFrom: nesd <%s>\r\nTo: <%s>\r\n"
	    "Subject: %s\r\nMessage-ID: <nesd.%lld.%lld@%s>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "X-Nesd-Kind: %s\r\n\r\n%s", date, from, o->recipient, subject,
	    (long long)o->id, (long long)o->created, host, o->kind, body);
	free(from);
	free(subject);
	free(body);
	return (text);
}

/*
 * The SMTP password: the first line of password_file, which must be a
 * regular file of nesd's user that no one else can read. NULL with *why.
 */
static char *
mail_password(const char *path, char *why, size_t len)
{
	struct stat	 sb;
	char		 buf[512];
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		snprintf(why, len, "password_file %s: %s", path,
		    strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_uid != geteuid() || (sb.st_mode & 077) != 0) {
		snprintf(why, len, "password_file %s must be a file of uid %ld "
		    "readable by no one else (chmod 600)", path,
		    (long)geteuid());
		close(fd);
		return (NULL);
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return (xstrdup(buf));
}

static size_t
mail_read_cb(char *ptr, size_t size, size_t n, void *arg)
{
	struct mail_xfer	*x = arg;
	size_t			 len = size * n;

	if (len > x->len - x->off)
		len = x->len - x->off;
	memcpy(ptr, x->text + x->off, len);
	x->off += len;
	/* After the DATA command's 354: the next reply is the last one. */
	if (x->off == x->len)
		x->sent = 1;
	return (len);
}

/* Keep the session's socket, for mail_debug_cb. */
static int
mail_sockopt_cb(void *arg, curl_socket_t fd, curlsocktype purpose)
{
	struct mail_xfer	*x = arg;

	x->fd = fd;
	return (CURL_SOCKOPT_OK);
}

/*
 * Keep the server's last refusal (4xx or 5xx reply line): curl's error
 * gives only its code, and the QUIT that follows would overwrite it.
 */
static int
mail_debug_cb(CURL *easy, curl_infotype type, char *data, size_t len,
    void *arg)
{
	struct mail_xfer	*x = arg;
	size_t			 n;

	/*
	 * The reply to the end of the message settles it. curl would then
	 * wait for the reply to QUIT before it reports the transfer done,
	 * blocking the loop (up to its 120 s response timeout) while the
	 * server holds a message it took and nesd has not recorded: shut the
	 * socket, and the QUIT fails at once.
	 */
	if (type == CURLINFO_HEADER_IN && x->sent && x->fd != CURL_SOCKET_BAD &&
	    len >= 4 && data[3] == ' ') {
		shutdown(x->fd, SHUT_RDWR);
		x->fd = CURL_SOCKET_BAD;
	}
	if (type != CURLINFO_HEADER_IN || len < 3 || data[0] < '4' ||
	    data[0] > '5')
		return (0);
	for (n = 0; n < len && n < sizeof(x->reply) - 1 && data[n] != '\r' &&
	    data[n] != '\n'; n++)
		x->reply[n] = data[n] >= 0x20 && data[n] < 0x7f ? data[n] : '?';
	x->reply[n] = '\0';
	return (0);
}

static void	 mail_next(void);

static void
mail_xfer_free(struct mail_xfer *x)
{
	curl_slist_free_all(x->rcpt);
	free(x->text);
	if (x->password != NULL)
		explicit_bzero(x->password, strlen(x->password));
	free(x->password);
	free(x);
}

/* A message with its session, done with. */
static void
mail_drop(void *msg)
{
	struct mail_xfer	*x = msg;

	curl_easy_cleanup(x->easy);
	mail_xfer_free(x);
}

/*
 * A 4xx reply or a network failure is temporary; a 5xx reply or a refused
 * login is for good (the configuration must change first).
 */
static void
mail_result_cb(void *msg, void *arg)
{
	struct mail_xfer	*x = msg;
	CURL			*easy = x->easy;
	CURLcode		 rc = x->rc;
	enum channel_result	 result = CHANNEL_OK;
	const char		*err;
	char			 why[CURL_ERROR_SIZE + 300];
	long			 code = 0;

	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK) {
		err = x->error[0] != '\0' ? x->error : curl_easy_strerror(rc);
		if (code >= 400 && strtol(x->reply, NULL, 10) == code)
			snprintf(why, sizeof(why), "%s: %s", err, x->reply);
		else if (code != 0)
			snprintf(why, sizeof(why), "%s (SMTP %ld)", err, code);
		else
			snprintf(why, sizeof(why), "%s", err);
		result = (code >= 500 || rc == CURLE_LOGIN_DENIED) ?
		    CHANNEL_PERMANENT : CHANNEL_TEMPORARY;
	}
	/* The outcome is stored (outbox_done) before the next session. */
	x->done(x->id, result, result == CHANNEL_OK ? NULL : why);
	mail_drop(x);
	mail_active = NULL;
	mail_next();
}

/* The thread: one session at a time, as the main loop hands them over. */
static void *
mail_thread(void *arg)
{
	struct mail_xfer	*x;

	for (;;) {
		pthread_mutex_lock(&mail_lock);
		while (!mail_stop && mail_job == NULL)
			pthread_cond_wait(&mail_cond, &mail_lock);
		x = mail_job;
		mail_job = NULL;
		pthread_mutex_unlock(&mail_lock);
		if (x == NULL)
			break;
		x->rc = curl_easy_perform(x->easy);
		mq_post(mail_mq, x);
	}
	return (NULL);
}

/* Abort a session when nesd stops (CURLE_ABORTED_BY_CALLBACK). */
static int
mail_progress_cb(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	return (mail_stop ? 1 : 0);
}

/* Start the next waiting session, if none is under way. */
static void
mail_next(void)
{
	struct mail_xfer	*x;

	if (mail_active != NULL || (x = TAILQ_FIRST(&mail_queue)) == NULL)
		return;
	if (!mail_started) {
		sigset_t	 all, old;

		mail_mq = mq_new(mail_base, "mail", mail_result_cb, NULL);
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		errno = pthread_create(&mail_tid, NULL, mail_thread, NULL);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (errno != 0)
			fatal("mail: thread");
		mail_started = 1;
	}
	TAILQ_REMOVE(&mail_queue, x, entry);
	mail_active = x;
	pthread_mutex_lock(&mail_lock);
	mail_job = x;
	pthread_cond_signal(&mail_cond);
	pthread_mutex_unlock(&mail_lock);
}

static void
mail_setup(CURL *easy, struct mail_xfer *x, const struct config *conf)
{
	char	*from = mail_from(conf);

	curl_easy_setopt(easy, CURLOPT_URL, conf->mail_server);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(easy, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, x->rcpt);
	curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(easy, CURLOPT_READFUNCTION, mail_read_cb);
	curl_easy_setopt(easy, CURLOPT_READDATA, x);
	curl_easy_setopt(easy, CURLOPT_INFILESIZE, (long)x->len);
	curl_easy_setopt(easy, CURLOPT_TIMEOUT, (long)conf->mail_timeout);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, x->error);
	/*
	 * Reminders are days apart and servers drop idle sessions long
	 * before: a cached connection would only fail the next message
	 * ("response reading failed") and curl does not retry SMTP on a
	 * fresh one. One session a message.
	 */
	curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(easy, CURLOPT_DEBUGFUNCTION, mail_debug_cb);
	curl_easy_setopt(easy, CURLOPT_DEBUGDATA, x);
	curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L);	/* for the callback */
	curl_easy_setopt(easy, CURLOPT_SOCKOPTFUNCTION, mail_sockopt_cb);
	curl_easy_setopt(easy, CURLOPT_SOCKOPTDATA, x);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);	/* on a thread */
	curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, mail_progress_cb);
	if (strncmp(conf->mail_server, "smtp://", 7) == 0)
		curl_easy_setopt(easy, CURLOPT_USE_SSL, conf->mail_starttls ?
		    (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
	if (conf->mail_ca_file != NULL)
		curl_easy_setopt(easy, CURLOPT_CAINFO, conf->mail_ca_file);
	if (conf->mail_username != NULL) {
		curl_easy_setopt(easy, CURLOPT_USERNAME, conf->mail_username);
		curl_easy_setopt(easy, CURLOPT_PASSWORD, x->password);
	}
	free(from);	/* curl copies string options */
}

static void
mail_send(const struct outbox_row *o, const struct config *conf,
    channel_done_cb done)
{
	struct mail_xfer	*x;
	CURL			*easy;
	char			 why[512];

	/* Queued before a reload took mail out of the configuration. */
	if (conf->mail_server == NULL) {
		done(o->id, CHANNEL_PERMANENT, "server is not set in [mail]");
		return;
	}
	/* Never splice a line break into the SMTP session or a header. */
	if (!validate_mailbox(o->recipient)) {
		done(o->id, CHANNEL_PERMANENT, "the recipient is not a plain "
		    "mailbox (RFC 5321 local-part@domain)");
		return;
	}
	x = xcalloc(1, sizeof(*x));
	x->id = o->id;
	x->done = done;
	if (conf->mail_username != NULL && (conf->mail_password_file == NULL ||
	    (x->password = mail_password(conf->mail_password_file, why,
	    sizeof(why))) == NULL)) {
		if (conf->mail_password_file == NULL)
			snprintf(why, sizeof(why), "username is set but "
			    "password_file is not");
		mail_xfer_free(x);
		done(o->id, CHANNEL_PERMANENT, why);
		return;
	}
	if ((easy = curl_easy_init()) == NULL) {
		mail_xfer_free(x);
		done(o->id, CHANNEL_TEMPORARY, "curl: out of memory");
		return;
	}
	x->rcpt = curl_slist_append(NULL, o->recipient);
	x->text = mail_message(o, conf);
	x->len = strlen(x->text);
	x->fd = CURL_SOCKET_BAD;
	x->easy = easy;
	mail_setup(easy, x, conf);
	TAILQ_INSERT_TAIL(&mail_queue, x, entry);
	mail_next();
}

static const char *
mail_unusable(const struct config *conf)
{
	if (conf->mail_server == NULL)
		return ("server is not set in [mail]");
	if (conf->nmail_to + conf->nmail_officer == 0)
		return ("no recipient: set to (or officer) in [mail]");
	return (NULL);
}

static void
mail_init(struct event_base *base, struct events *events)
{
	mail_base = base;
}

/*
 * Stop the thread (a session under way is aborted); what was not sent or
 * not recorded stays in the outbox for the next start.
 */
static void
mail_shutdown(void)
{
	struct mail_xfer	*x;
	struct timespec		 ts;
	int			 i;

	while ((x = TAILQ_FIRST(&mail_queue)) != NULL) {
		TAILQ_REMOVE(&mail_queue, x, entry);
		mail_drop(x);
	}
	if (!mail_started)
		return;
	pthread_mutex_lock(&mail_lock);
	mail_stop = 1;
	if (mail_job != NULL) {
		mail_drop(mail_job);	/* handed over, not yet taken */
		mail_job = NULL;
	}
	pthread_cond_signal(&mail_cond);
	pthread_mutex_unlock(&mail_lock);
	for (i = 0; i < MAIL_STOP_TRIES; i++) {
		clock_gettime(CLOCK_REALTIME, &ts);
		if ((ts.tv_nsec += 100000000) >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (pthread_timedjoin_np(mail_tid, NULL, &ts) == 0)
			break;
	}
	if (i == MAIL_STOP_TRIES) {
		log_warnx("mail: a session does not end; leaving its thread");
		pthread_detach(mail_tid);
		return;
	}
	mq_free(mail_mq, mail_drop);
	mail_mq = NULL;
	mail_started = 0;
	mail_stop = 0;
	mail_active = NULL;
}

const struct channel channel_mail = {
	"mail", CHANNEL_MAIL, mail_init, mail_shutdown, mail_unusable,
	mail_send
};
