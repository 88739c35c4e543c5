# tools/kexshim-esp.sh: find and check the mounted EFI System Partition the
# way bootctl does, for kexshim-install and kexshim-bls (sourced, POSIX sh:
# runs under dash, bash and busybox ash on an installed system).
#
#   esp_find [DIR]   without DIR: the first of /efi, /boot, /boot/efi (in
#                    bootctl's order) that is an ESP; with DIR: DIR must be.
#                    Sets esp_path, esp_dev, esp_disk, esp_part, esp_partuuid
#                    (lower case; empty for MBR), or prints why not and
#                    returns 1.
#   esp_is_uefi      0 when the running system was booted through UEFI.
#
# An ESP is a mount point, vfat, on a partition whose type is the ESP's
# (GPT C12A7328-F81F-11D2-BA4B-00A0C93EC93B, MBR 0xef) when lsblk or blkid
# can tell.  Environment, for tests of a system that is not this one:
#   KEXSHIM_SYSFS    sysfs root (default /sys)
#   KEXSHIM_MOUNTS   the mount table (default /proc/self/mounts)
#   KEXSHIM_ESP_PATH the ESP, taken as it is: no checks, no device (as
#                    systemd's SYSTEMD_ESP_PATH); for kexshim-bls only
# shellcheck shell=sh disable=SC3043,SC2034
# (local: dash, busybox ash and bash all have it; the esp_* variables are
# for the caller)

ESP_TYPE_GPT=c12a7328-f81f-11d2-ba4b-00a0c93ec93b
: "${KEXSHIM_SYSFS:=/sys}"
: "${KEXSHIM_MOUNTS:=/proc/self/mounts}"

esp_is_uefi() {
	[ -d "$KEXSHIM_SYSFS/firmware/efi" ]
}

# esp_mount DIR: "DEVICE FSTYPE" of the file system mounted at DIR (the last
# mount there wins, as the kernel shows it), or nothing.  The table escapes
# blanks and backslashes as octal (\040, \011, \012, \134).
esp_mount() {
	awk -v dir="$1" '
		function unesc(s) {
			gsub(/\\040/, " ", s); gsub(/\\011/, "\t", s)
			gsub(/\\012/, "\n", s); gsub(/\\134/, "\\", s)
			return s
		}
		unesc($2) == dir { found = unesc($1) " " $3 }
		END { if (found != "") print found }' "$KEXSHIM_MOUNTS"
}

# esp_parttype DEV: the partition's type (GPT GUID in lower case, or MBR
# "0xef"), or nothing when neither lsblk nor blkid can say.
esp_parttype() {
	local t=""
	if command -v lsblk >/dev/null 2>&1; then
		t="$(lsblk -dno PARTTYPE "$1" 2>/dev/null | head -1)"
	fi
	if [ -z "$t" ] && command -v blkid >/dev/null 2>&1; then
		t="$(blkid -p -s PART_ENTRY_TYPE -o value "$1" 2>/dev/null | head -1)"
	fi
	printf '%s\n' "$t" | tr '[:upper:]' '[:lower:]'
}

esp_partuuid_of() {
	local u=""
	if command -v lsblk >/dev/null 2>&1; then
		u="$(lsblk -dno PARTUUID "$1" 2>/dev/null | head -1)"
	fi
	if [ -z "$u" ] && command -v blkid >/dev/null 2>&1; then
		u="$(blkid -p -s PART_ENTRY_UUID -o value "$1" 2>/dev/null | head -1)"
	fi
	printf '%s\n' "$u" | tr '[:upper:]' '[:lower:]'
}

# esp_check DIR: is DIR an ESP?  Sets the esp_* variables, or leaves the
# reason in esp_why and returns 1.
esp_check() {
	local d m dev fstype name sys part disk type
	esp_why=""
	d="$(cd "$1" 2>/dev/null && pwd -P)" || { esp_why="$1: no such directory"; return 1; }
	m="$(esp_mount "$d")"
	[ -n "$m" ] || { esp_why="$d: not a mount point"; return 1; }
	dev="${m% *}" fstype="${m##* }"
	[ "$fstype" = vfat ] || { esp_why="$d: $fstype, not vfat"; return 1; }
	case "$dev" in /dev/*) ;; *) esp_why="$d: mounted from '$dev', not a block device"; return 1 ;; esac
	[ -e "$dev" ] && dev="$(readlink -f "$dev")"
	name="${dev##*/}"
	sys="$KEXSHIM_SYSFS/class/block/$name"
	[ -r "$sys/partition" ] || { esp_why="$d: $dev is not a partition (no $sys/partition)"; return 1; }
	part="$(cat "$sys/partition")"
	disk="$(readlink -f "$sys")"
	disk="${disk%/*}"
	disk="/dev/${disk##*/}"
	type="$(esp_parttype "$dev")"
	case "$type" in
	"$ESP_TYPE_GPT"|0xef) ;;
	"") echo "${prog:-kexshim}: warning: cannot read the partition type of $dev" \
		"(no lsblk or blkid); trusting that $d is the ESP" >&2 ;;
	*) esp_why="$d: $dev has partition type $type, not the ESP's ($ESP_TYPE_GPT)"; return 1 ;;
	esac
	esp_path="$d" esp_dev="$dev" esp_disk="$disk" esp_part="$part"
	esp_partuuid="$(esp_partuuid_of "$dev")"
	return 0
}

esp_find() {
	local whys c
	if [ -n "${1:-}" ]; then
		esp_check "$1" && return 0
		echo "${prog:-kexshim}: $esp_why" >&2
		return 1
	fi
	whys=""
	for c in /efi /boot /boot/efi; do
		esp_check "$c" && return 0
		whys="${whys:+$whys; }$esp_why"
	done
	echo "${prog:-kexshim}: no ESP found ($whys); mount it at /efi, /boot or /boot/efi, or pass --esp DIR" >&2
	return 1
}
