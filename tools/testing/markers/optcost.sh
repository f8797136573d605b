#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# What each distribution-like option group of the x86-64 test kernel
# (configs/x86_64.config: epoll, networking, relay, hist triggers, IKHEADERS,
# the code generation options) costs in build time.
#
#   optcost.sh          every group, about 45 minutes: out/optcost/table.txt
#   optcost.sh --smoke  EPOLL only, no reference build (tests the script):
#                       out/optcost/smoke/
#
# Needs make build (its .config). Works in a build directory of its own,
# out/build-optcost: out/build-x86 is never touched.
#
# How: the test kernel's .config is built there once, in a clean directory
# with CCACHE_DISABLE=1: that full vmlinux build is the reference. Then for
# each group, with the complete .config built:
#   off  scripts/config -d the group's options, olddefconfig, build;
#        the objects the smaller kernel no longer links are deleted (and
#        IKHEADERS' tarball), as in a tree that never had the group;
#   on   the complete .config again, build.
# Every build is make -j1 with CCACHE_DISABLE=1, timed: CPU seconds (user +
# sys of make and its children) and wall seconds; its objects are the
# "  CC" lines of its output. "on" is the cost of adding the group to the
# otherwise complete configuration; "on" minus "off" (the same objects
# compiled without the group) is what the group's own code adds to them.
#
# Most groups name a symbol that a header nearly every file includes tests
# (struct file has an epoll field, sk_buff users test NET), or change the
# compiler's flags (SLS, stack protector, call padding): switching them
# recompiles 70 to 100% of the tree, twice per group, which would take
# about 2 h 20 min at -j1. Relay, hist triggers and IKHEADERS recompile
# little, and NET's own code is spread over net/ and lib/: these are
# measured on vmlinux. The others on fs/ alone (make fs/): the code of
# EPOLL, and for the flags a sample of about 100 ordinary objects, whose
# relative cost holds for the whole tree.
#
# Every make runs at nice 19 and -j1, so that the other core stays free.
# The prepared tree may change during the run (make prepare elsewhere);
# a group measured while out/src.key changed is marked with "*".
#
# Environment:
#   OPTCOST_BUDGET=SECONDS  wall time allowed (default 4200): a group
#                           whose estimate does not fit any more is
#                           skipped (listed as such); the optional
#                           tinyconfig reference runs only if time is left
set -euo pipefail
. "$(dirname "$0")/lib.sh"

smoke=0
case ${1:-} in
--smoke) smoke=1 ;;
"") ;;
*) die "usage: optcost.sh [--smoke]" ;;
esac
[ "$ARCH" = x86_64 ] || die "optcost.sh measures the x86-64 test kernel only"
[ -f "$BUILD_X86/.config" ] || die "no test kernel .config (run: make build)"

OB="$OUT/build-optcost"
R="$OUT/optcost"
[ "$smoke" = 0 ] || R="$OUT/optcost/smoke"
budget=${OPTCOST_BUDGET:-4200}
t0=$(date +%s)
# the compiles of this script must leave the other core to other work
renice -n 19 -p $$ > /dev/null

# The groups: name|scope|estimated wall seconds|options to turn off|files
# to delete in the off state. The scope is what is built: vmlinux, or one
# directory. The estimates are this machine's (2 cores, -j1), for the
# budget only. STACKPROTECTOR_STRONG off leaves plain STACKPROTECTOR.
GROUPS_ALL=(
	"RELAY|vmlinux|90|RELAY|"
	"IKHEADERS|vmlinux|150|IKHEADERS|kernel/kheaders_data.tar.xz kernel/kheaders.md5"
	"HIST_TRIGGERS+SYNTH_EVENTS+TRACER_SNAPSHOT|vmlinux|330|$(
	)HIST_TRIGGERS SYNTH_EVENTS TRACER_SNAPSHOT|"
	"NET+UNIX+INET|vmlinux|1300|NET UNIX INET|"
	"EPOLL|fs/|200|EPOLL|"
	"MITIGATION_CALL_DEPTH_TRACKING|fs/|200|MITIGATION_CALL_DEPTH_TRACKING|"
	"MITIGATION_SLS|fs/|200|MITIGATION_SLS|"
	"STACKPROTECTOR_STRONG|fs/|200|STACKPROTECTOR_STRONG|"
	"PREEMPT_DYNAMIC|fs/|200|PREEMPT_DYNAMIC|"
)
GROUPS_RUN=()
for g in "${GROUPS_ALL[@]}"; do
	[ "$smoke" = 0 ] || [ "${g%%|*}" = EPOLL ] || continue
	GROUPS_RUN+=("$g")
done

src_key() { cat "$OUT/src.key" 2> /dev/null || echo none; }

# olddefconfig on the .config of $OB, quietly
olddefconfig() {
	kmake "$OB" -s olddefconfig > "$R/kconfig.log" 2>&1 ||
		{ cat "$R/kconfig.log"; die "olddefconfig failed"; }
}

# build NAME USE_CCACHE TARGET...: make -j1 TARGET... in $OB, with ccache
# (USE_CCACHE=1) or without; log in $R/NAME.log. Sets cpu, wall and objs: the
# objects compiled, the objtool host tool's (absolute paths) left out.
build() {
	local name=$1 use_ccache=$2 times; shift 2
	times=$(
		[ "$use_ccache" = 1 ] || export CCACHE_DISABLE=1
		TIMEFORMAT='%R %U %S'
		{ time kmake "$OB" -j1 "$@" > "$R/$name.log" 2>&1; } 2>&1
	) || { grep -E -A3 'error:' "$R/$name.log" | head -40 >&2 || true
	       die "build $name failed, see ${R#"$REPO"/}/$name.log"; }
	read -r wall usr sys <<< "$times"
	cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
	wall=$(printf '%.0f' "$wall")
	objs=$(scope_objs "$name" vmlinux)
}

# scope_objs NAME SCOPE: the objects build NAME compiled in a directory
# SCOPE, not those of the prepare stage (asm-offsets.s, bounds.s)
scope_objs() {
	if [ "$2" = vmlinux ]; then
		grep -cE '^  CC +[^/ ]' "$R/$1.log" || true
	else
		grep -cE "^  CC +$2" "$R/$1.log" || true
	fi
}

# The objects the build of SCOPE links: members of its thin archives, as
# paths relative to $OB
members() {
	local scope=$1 a archives=()
	if [ "$scope" = vmlinux ]; then
		archives=(vmlinux.a lib/lib.a arch/x86/lib/lib.a)
	else
		archives=("${scope%/}/built-in.a")
	fi
	# one archive per ar call: ar t reads further names as members
	for a in "${archives[@]}"; do
		(cd "$OB" && ar t "$a")
	done | sort -u
}

# The symbols set differently in the .config $2 than in $1, one line:
# "SYM..." turned off or changed, then "+SYM..." turned on
kconfig_changes() {
	local old=$1 new=$2
	{
		comm -23 <(grep '^CONFIG_' "$old" | sort) <(grep '^CONFIG_' "$new" | sort) |
			sed 's/=.*//; s/^CONFIG_//'
		comm -13 <(grep '^CONFIG_' "$old" | sort) <(grep '^CONFIG_' "$new" | sort) |
			sed 's/=.*//; s/^CONFIG_/+/'
	} | sort -u | tr '\n' ' '
}

# measure "name|scope|est|options|files": one line of $R/results.tsv
measure() {
	local name scope est opts files key sym gone n_scope
	local off_cpu off_wall off_objs
	IFS='|' read -r name scope est opts files <<< "$1"
	# settle: whatever changed before (make prepare elsewhere, the last
	# group) is built now, with ccache, and not counted
	build "$name.settle" 1 "$scope"
	key=$(src_key)
	members "$scope" > "$R/$name.members-on"
	n_scope=$(wc -l < "$R/$name.members-on")

	local args=()
	for sym in $opts; do args+=(-d "$sym"); done
	"$SRC/scripts/config" --file "$OB/.config" "${args[@]}"
	olddefconfig
	# off means "is not set", or gone with what it depends on (UNIX, INET)
	for sym in $opts; do
		! grep -q "^CONFIG_$sym=" "$OB/.config" ||
			die "$name: Kconfig keeps CONFIG_$sym on"
	done
	kconfig_changes "$R/full.config" "$OB/.config" > "$R/$name.kconfig"
	log "optcost: $name off: $(cat "$R/$name.kconfig")"
	build "$name.off" 0 "$scope"
	off_cpu=$cpu off_wall=$wall off_objs=$(scope_objs "$name.off" "$scope")

	# what the smaller kernel no longer links would not exist in a tree
	# that never had the group: delete it, so that "on" compiles it
	members "$scope" > "$R/$name.members-off"
	gone=$(comm -23 "$R/$name.members-on" "$R/$name.members-off")
	for f in $gone $files; do rm -f "${OB:?}/$f"; done

	cp "$R/full.config" "$OB/.config"
	olddefconfig
	cmp -s "$R/full.config" "$OB/.config" || die "$name: .config not restored"
	build "$name.on" 0 "$scope"
	objs=$(scope_objs "$name.on" "$scope")
	[ "$key" = "$(src_key)" ] || name="$name*"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$scope" \
		"$n_scope" "$objs" "$cpu" "$wall" "$off_objs" "$off_cpu" "$off_wall" \
		"$(wc -w <<< "$gone")" >> "$R/results.tsv"
	log "optcost: $name on: $objs objects, $cpu s CPU, $wall s wall;" \
		"off: $off_objs objects, $off_cpu s CPU; $(wc -w <<< "$gone") objects deleted"
}

# The optional reference: tinyconfig with 64BIT and the markers, in a
# directory of its own (removed after)
tiny_reference() {
	local dir="$OB/tiny" saved_ob=$OB
	rm -rf "$dir"; mkdir -p "$dir"
	OB=$dir
	kmake "$OB" -s tinyconfig > "$R/kconfig.log" 2>&1
	"$SRC/scripts/config" --file "$OB/.config" -e 64BIT -e MARKERS
	olddefconfig
	build tiny 0 vmlinux
	OB=$saved_ob
	rm -rf "$dir"
	printf 'tinyconfig+64BIT+MARKERS\tvmlinux\t-\t%s\t%s\t%s\n' \
		"$objs" "$cpu" "$wall" > "$R/tiny.tsv"
}

mkdir -p "$R" "$OB"
rm -f "$R"/*.log "$R"/*.tsv "$R"/*.kconfig "$R"/*.members-*
cp "$BUILD_X86/.config" "$R/full.config"

# --- the starting point: the complete configuration, built ----------------
if [ "$smoke" = 1 ]; then
	log "optcost: --smoke: starting build with ccache (${OB#"$REPO"/})"
	cp "$R/full.config" "$OB/.config"
	olddefconfig
	build start 1 vmlinux
	ref_cpu=
else
	log "optcost: reference: clean vmlinux build, -j1, no ccache (${OB#"$REPO"/})"
	rm -rf "$OB"; mkdir -p "$OB"
	cp "$R/full.config" "$OB/.config"
	olddefconfig
	build reference 0 vmlinux
	ref_cpu=$cpu
	printf 'complete .config (reference)\tvmlinux\t-\t%s\t%s\t%s\n' \
		"$objs" "$cpu" "$wall" > "$R/reference.tsv"
	log "optcost: reference: $objs objects, $cpu s CPU, $wall s wall"
fi
cmp -s "$R/full.config" "$OB/.config" ||
	die "olddefconfig changed the test kernel's .config (stale make build?)"

# --- each group ---------------------------------------------------------------
deadline=$((t0 + budget))
skipped=()
for g in "${GROUPS_RUN[@]}"; do
	IFS='|' read -r name _ est _ <<< "$g"
	if [ "$smoke" = 0 ] && [ $(( $(date +%s) + est )) -gt "$deadline" ]; then
		left=$((deadline - $(date +%s)))
		warn "optcost: $name skipped: about $est s to do, $left s of budget left"
		skipped+=("$name")
		continue
	fi
	measure "$g"
done
if [ "$smoke" = 0 ]; then
	# a tinyconfig build takes about half the reference's wall time
	ref_wall=$(cut -f6 "$R/reference.tsv")
	if [ $(( $(date +%s) + ref_wall / 2 )) -le "$deadline" ]; then
		log "optcost: tinyconfig reference"
		tiny_reference
	else
		warn "optcost: tinyconfig reference skipped (time budget)"
	fi
fi

# --- the table ----------------------------------------------------------------
# added: on minus off, and its share of the reference (vmlinux) or of the
# off build of the directory (fs/: the share of each object's compile time)
table() {
	local mode=
	[ "$smoke" = 0 ] || mode=" --smoke"
	printf '# optcost.sh%s, %s, %s, %s\n' "$mode" "$(date -u '+%Y-%m-%d %H:%M UTC')" \
		"commit $(git -C "$REPO" describe --always --dirty)" \
		"$(nproc) CPUs, make -j1, no ccache"
	printf '%-44s %-8s %9s %8s %6s %10s %7s\n' "option group" scope objects "CPU s" share \
		"added s" "added"
	if [ -n "$ref_cpu" ]; then
		IFS=$'\t' read -r name scope _ objs cpu _ < "$R/reference.tsv"
		printf '%-44s %-8s %9s %8s %6s\n' "$name" "$scope" "$objs" "$cpu" 100%
	fi
	[ ! -f "$R/tiny.tsv" ] ||
		{ IFS=$'\t' read -r name scope _ objs cpu _ < "$R/tiny.tsv"
		  printf '%-44s %-8s %9s %8s %6s\n' "$name" "$scope" "$objs" "$cpu" \
			"$(awk -v a="$cpu" -v r="$ref_cpu" \
				'BEGIN { printf "%.0f%%", 100 * a / r }')"; }
	[ ! -f "$R/results.tsv" ] ||
	while IFS=$'\t' read -r name scope n_scope objs cpu _ _ off_cpu _ _; do
		awk -v name="$name" -v scope="$scope" -v n="$n_scope" -v objs="$objs" \
			-v cpu="$cpu" -v off="$off_cpu" -v ref="$ref_cpu" 'BEGIN {
			add = cpu - off
			if (scope == "vmlinux") {
				share = ref == "" ? "-" : sprintf("%.0f%%", 100 * cpu / ref)
				rel = ref == "" ? "-" : sprintf("%+.1f%%", 100 * add / ref)
				o = objs
			} else {
				share = "-"
				rel = sprintf("%+.1f%%", 100 * add / off)
				o = objs "/" n
			}
			printf "%-44s %-8s %9s %8.1f %6s %+10.1f %7s\n",
			       name, scope, o, cpu, share, add, rel
		}'
	done < "$R/results.tsv"
	for s in "${skipped[@]}"; do printf '%-44s not measured (time budget)\n' "$s"; done
	printf '# run: %s\n' "$(elapsed "$t0") wall"
}
table | tee "$R/table.txt"

# the build directory is large: keep it only if it is small
size=$(du -sm "$OB" | cut -f1)
if [ "$size" -gt 2048 ]; then
	log "optcost: removing ${OB#"$REPO"/} ($size MB)"
	rm -rf "$OB"
fi
log "optcost: done in $(elapsed "$t0"), table in ${R#"$REPO"/}/table.txt"
