#!/bin/bash
# test/layers/check.sh: the include rule of DESIGN.md's layout, on the tree:
# a folder of boot/ includes only its own layer or the ones below it
#   cli > init > config, menu, net > disk, kmod, secure > load
#       > image, fdt, arch > kexec > lib > common, include/kexshim
# and common/ includes nothing of boot/, efi/ or purgatory/.  One line per
# offending include; "layers: N passed, N failed" at the end.
set -u
cd "$(dirname "$0")/../.."

level() {
	case "$1" in
	cli) echo 9 ;;
	init) echo 8 ;;
	config|menu|net) echo 7 ;;
	disk|kmod|secure) echo 6 ;;
	load) echo 5 ;;
	image|fdt|arch) echo 4 ;;
	kexec) echo 3 ;;
	lib) echo 2 ;;
	common|kexshim) echo 1 ;;
	*) echo "" ;;
	esac
}

pass=0 fail=0
for f in $(find boot common -name '*.[chS]' | sort); do
	case "$f" in
	boot/*) dir="${f#boot/}"; dir="${dir%%/*}" ;;
	common/*) dir=common ;;
	esac
	mine="$(level "$dir")"
	if [ -z "$mine" ]; then
		echo "not ok - $f: folder '$dir' has no layer (add it to test/layers/check.sh and DESIGN.md)"
		fail=$((fail + 1))
		continue
	fi
	bad=0
	while IFS= read -r inc; do
		top="${inc%%/*}"
		[ "$top" = "$inc" ] && continue # a file of the same folder
		lv="$(level "$top")"
		if [ "$top" = purgatory ] || [ "$top" = efi ] ||
		   { [ -n "$lv" ] && [ "$lv" -gt "$mine" ]; }; then
			echo "not ok - $f includes \"$inc\": $top is above $dir"
			bad=1
		fi
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
	if [ "$bad" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "layers: $pass passed, $fail failed"
[ "$fail" = 0 ]
