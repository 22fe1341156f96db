/* SPDX-License-Identifier: ISC */
/*
 * nitems.h - the number of elements of an array, as BSD's <sys/param.h>.
 */
#ifndef NES_NITEMS_H
#define NES_NITEMS_H

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#endif
