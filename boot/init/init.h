/* kexshim: PID 1 of the shim (init.c) and the boot sequence it runs
 * (sequence.c), which `kexshim boot` runs as a command too. */
#ifndef KEXSHIM_INIT_H
#define KEXSHIM_INIT_H

#include <stdbool.h>

struct disk_set;
struct kcmdline;
struct modules;
struct part;

/* The running kernel's kexshim.* parameters into kc (defaults when
 * /proc/cmdline is unreadable); warnings go to the console. */
void boot_read_params(struct kcmdline *kc);

/* Boot from the mounted file systems of set (esp's loader.conf): scan
 * entries, pick (entries_pick(): arg > LoaderEntryOneShot > kc->entry >
 * LoaderEntryDefault > loader.conf default > first; the EFI variables
 * and LoaderConfigTimeout[OneShot] only interactive), with interactive
 * (PID 1) the menu when it is wanted (boot/menu/menu.h says when), then for each entry of the fallback sequence: print "booting
 * entry 'ID' (TITLE)", load_prepare, print "kexec_load: N segments, entry
 * 0x...", kexec_load_plan, publish LoaderEntries/LoaderEntrySelected
 * (interactive), count the boot (BLS boot counting), print the
 * peak RSS, kexec_reboot.  After a failure, interactive, the menu again
 * counting down to the next.  dry_run stops before kexec_load with the
 * plan line.
 * Return: only on failure (or after a dry run: 0), -errno with kx_fail(). */
int boot_entries(struct disk_set *set, const struct part *esp, const char *arg,
		 const struct kcmdline *kc, bool dry_run, bool interactive);

/* disks.c: load the drivers the devices want (m may be NULL: built-in
 * drivers only), probe until the ESP is there and the set settles, mount
 * the ESP on /esp and every other readable file system under /mnt/NAME,
 * read-only.  Return: 0 with *set and *esp, or -errno (kx_fail). */
int disks_bring_up(struct modules *m, const struct kcmdline *kc,
		   struct disk_set *set, struct part **esp);

struct boot_entry;
struct entries;
struct entry_paths;
struct load_request;

/* net.c: the network's entries into es (kexshim.netboot= says where;
 * bring_up: PID 1 brings the network up first, else only kexshim.url=
 * counts).  Return: the ID of the network entry to boot first (when the
 * network goes first), or NULL. */
const char *init_net_entries(struct entries *es, const struct kcmdline *kc,
			     bool bring_up);

/* net.c: fetch a network entry's files and fill req as entries_request()
 * does for a local one.  Return: 0 or -errno (kx_fail). */
int init_net_request(const struct boot_entry *e, struct entry_paths *paths,
		     struct load_request *req);

/* net.c: let go of what init_net_request() fetched. */
void init_net_release(void);

/* PID 1: mount, console, modules, ESP, boot; emergency on failure.
 * Return: never. */
int init_main(int argc, char **argv) __attribute__((noreturn));

#endif
