/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Probe modules written for the markers API of Linux 2.6.31 include this
 * header; the API now lives in <linux/markers.h>.
 */
#ifndef _LINUX_MARKER_H
#define _LINUX_MARKER_H

#include <linux/markers.h>

#endif /* _LINUX_MARKER_H */
