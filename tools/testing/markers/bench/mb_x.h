/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Numbered items for the benchmarks' footprint objects: MB_X100(m, 1)
 * expands to m(100); m(101); ... m(199), without the last semicolon. m is
 * applied to a literal number, so that it can paste it into names.
 */
#ifndef MB_X_H
#define MB_X_H

#define MB_X10(m, t)							\
	m(t##0); m(t##1); m(t##2); m(t##3); m(t##4);			\
	m(t##5); m(t##6); m(t##7); m(t##8); m(t##9)
#define MB_X100(m, h)							\
	MB_X10(m, h##0); MB_X10(m, h##1); MB_X10(m, h##2);		\
	MB_X10(m, h##3); MB_X10(m, h##4); MB_X10(m, h##5);		\
	MB_X10(m, h##6); MB_X10(m, h##7); MB_X10(m, h##8);		\
	MB_X10(m, h##9)

#endif /* MB_X_H */
