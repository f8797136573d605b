// SPDX-License-Identifier: GPL-2.0
/*
 * The marker of mt_sec_proprietary.c in a GPL module: enabled, its site
 * connects (the control for the taint policy).
 */
#include "mt_sec_site.h"

MT_SEC_MODULE(mt_sec_clean);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("markers test: the marker of mt_sec_proprietary, GPL");
