#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# KTAP results for the vm/*.sh scripts, sourced from /lib/markers-ktap.sh:
# each call prints one numbered result line; $n counts them and $fail is
# 1 once one failed, for the script's plan line and exit status.

n=0
fail=0

# ok STATUS NAME [DIAGNOSTIC]: a pass when STATUS is 0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2${3:+ # $3}"
		fail=1
	fi
}

# is NAME GOT EXPECTED: a pass when the two strings are equal
is() { ok "$([ "$2" = "$3" ]; echo $?)" "$1" "got '$2', expected '$3'"; }

# skip NAME WHY
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2"; }
