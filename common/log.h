/*
 * log.h - logging shared by nesd and its tools, after the OpenBSD daemons.
 */
#ifndef NES_LOG_H
#define NES_LOG_H

#include <stdarg.h>

void	log_init(int, const char *);
void	log_setverbose(int);
/* Mask, in place, every run of 11 digits that is a valid TCKN. */
void	log_mask(char *);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
