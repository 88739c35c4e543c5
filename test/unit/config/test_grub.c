/*
 * test/unit/config/test_grub.c: host tests of boot/config/grub.c (and its
 * grub_script, grub_test, grub_menu, grubenv parts) on grub.cfg files that
 * Debian 12's own grub-mkconfig generated (test/unit/fixtures/grub/, see
 * its README), fixtures after Ubuntu 24.04's and Fedora 40's, their
 * grubenv blocks, and hostile scripts: quoting, CRLF, NUL, invalid
 * UTF-8, deep nesting, unterminated quotes and braces, runaway functions.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/entry.h"
#include "config/grub.h"
#include "config/grub_script.h"
#include "config/grubenv.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "lib/warn.h"

#define DEB_UUID "6f1c2d4e-8a2b-4c3d-9e5f-0a1b2c3d4e5f"

static struct entry_list l;
static struct grub_result r;
static struct warnings w;

static char *fixture(const char *name, size_t *len)
{
	const char *top = getenv("KEXSHIM_TOP");
	char path[4096];
	char *buf = NULL;

	assert_non_null(top);
	snprintf(path, sizeof(path), "%s/test/unit/fixtures/grub/%s", top, name);
	assert_int_equal(read_file_whole("test", path, 0, &buf, len), 0);
	return buf;
}

static void reset(void)
{
	entry_list_free(&l);
	grub_result_free(&r);
	memset(&w, 0, sizeof(w));
}

/* Parse fixture cfg as NAME with grubenv fixture env (NULL: none). */
static int parse_fixture(const char *cfg, const char *name, const char *env)
{
	size_t len, elen = 0;
	char *buf = fixture(cfg, &len), *eb = env ? fixture(env, &elen) : NULL;
	int rc;

	reset();
	rc = grub_parse(name, buf, len, eb, elen, &l, &r, &w);
	free(buf);
	free(eb);
	return rc;
}

static int parse_text(const char *text)
{
	reset();
	return grub_parse("/boot/grub/grub.cfg", text, strlen(text), NULL, 0, &l,
			  &r, &w);
}

static int teardown(void **state)
{
	reset();
	return 0;
}

static void test_debian12(void **state)
{
	static const char *const titles[] = {
		"Debian GNU/Linux",
		"Advanced options for Debian GNU/Linux>Debian GNU/Linux, with "
		"Linux 6.1.0-57-amd64",
		"Advanced options for Debian GNU/Linux>Debian GNU/Linux, with "
		"Linux 6.1.0-57-amd64 (recovery mode)",
		"Advanced options for Debian GNU/Linux>Debian GNU/Linux, with "
		"Linux 6.1.0-56-amd64",
		"Advanced options for Debian GNU/Linux>Debian GNU/Linux, with "
		"Linux 6.1.0-56-amd64 (recovery mode)",
	};
	const struct boot_entry *e;
	size_t i;

	assert_int_equal(parse_fixture("debian12.cfg", "/boot/grub/grub.cfg",
				       NULL), 0);
	assert_int_equal(l.n, 5);
	for (i = 0; i < 5; i++) {
		e = &l.v[i];
		assert_int_equal(e->source, ENTRY_GRUB);
		assert_string_equal(e->title, titles[i]);
		assert_string_equal(e->fs_uuid, DEB_UUID);
		assert_string_equal(e->config, "/boot/grub/grub.cfg");
		assert_null(e->error);
		assert_int_equal(e->nr_initrd, 1);
	}
	e = &l.v[0];
	assert_string_equal(e->id, "gnulinux-simple-" DEB_UUID);
	assert_string_equal(e->kernel.path, "/boot/vmlinuz-6.1.0-57-amd64");
	assert_string_equal(e->initrd[0].path, "/boot/initrd.img-6.1.0-57-amd64");
	/* "ro  quiet": grub splits words, the kernel gets one blank. */
	assert_string_equal(e->options, "root=UUID=" DEB_UUID " ro quiet");
	assert_string_equal(l.v[2].options, "root=UUID=" DEB_UUID " ro single");
	assert_string_equal(l.v[3].id, "gnulinux-6.1.0-56-amd64-advanced-" DEB_UUID);
	assert_int_equal(r.default_index, 0);
	assert_string_equal(r.default_spec, "0");
	assert_int_equal(r.timeout, 5);
	assert_false(r.blscfg);
	/* 41_custom: "source ${config_directory}/custom.cfg", whose test
	 * (-f) kexshim cannot make: noted for the caller. */
	assert_int_equal(r.nr_include, 1);
	assert_string_equal(r.include[0], "/boot/grub/custom.cfg");
	assert_false(r.include_is_configfile[0]);
	assert_int_equal(warn_count(&w), 0);
}

static void test_debian12_saved(void **state)
{
	/* /boot its own partition: paths without /boot, searched by the boot
	 * file system's UUID; GRUB_DEFAULT=saved and a grubenv whose
	 * saved_entry is "submenu id>entry id" (GRUB_SAVEDEFAULT). */
	assert_int_equal(parse_fixture("debian12-bootpart-saved.cfg",
				       "/grub/grub.cfg",
				       "debian12-saved.grubenv"), 0);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.v[0].kernel.path, "/vmlinuz-6.1.0-57-amd64");
	assert_string_equal(l.v[0].fs_uuid, "0b5e7a3c-1d2e-4f60-8a9b-c0d1e2f3a4b5");
	assert_int_equal(r.default_index, 3);
	assert_string_equal(l.v[3].kernel.path, "/vmlinuz-6.1.0-56-amd64");

	/* Without grubenv, "${saved_entry}" is empty: entry 0, warned. */
	assert_int_equal(parse_fixture("debian12-bootpart-saved.cfg",
				       "/grub/grub.cfg", NULL), 0);
	assert_int_equal(r.default_index, 0);
	assert_string_equal(r.default_spec, "");
	assert_int_equal(warn_count(&w), 1);

	/* next_entry wins over saved_entry, as a "N>M" path. */
	assert_int_equal(parse_fixture("debian12.cfg", "/boot/grub/grub.cfg",
				       "next-entry.grubenv"), 0);
	assert_string_equal(r.default_spec, "1>2");
	assert_int_equal(r.default_index, 3);
}

static void test_ubuntu(void **state)
{
	assert_int_equal(parse_fixture("ubuntu24.04.cfg", "/boot/grub/grub.cfg",
				       NULL), 0);
	assert_int_equal(l.n, 8);
	/* gfxmode $linux_gfx_mode runs the function that sets vt_handoff. */
	assert_string_equal(l.v[0].options, "root=UUID=0e3b8d4a-1b5c-4f7e-9a2d-"
			    "6c8f0b1e2d3f ro quiet splash vt.handoff=7");
	assert_string_equal(l.v[2].title, "Advanced options for Ubuntu>Ubuntu, "
			    "with Linux 6.8.0-45-generic (recovery mode)");
	assert_string_equal(l.v[2].options, "root=UUID=0e3b8d4a-1b5c-4f7e-9a2d-"
			    "6c8f0b1e2d3f ro recovery nomodeset dis_ucode_ldr");
	assert_string_equal(l.v[5].id, "memtest86+");
	assert_string_equal(l.v[5].kernel.path, "/boot/memtest86+x64.efi");
	assert_null(l.v[5].options);
	assert_string_equal(l.v[6].options, "console=ttyS0,115200");
	/* UEFI Firmware Settings keeps its place, but cannot boot. */
	assert_string_equal(l.v[7].title, "UEFI Firmware Settings");
	assert_non_null(strstr(l.v[7].error, "runs 'fwsetup', not a Linux kernel"));
	assert_non_null(strstr(l.v[7].error, "grub: /boot/grub/grub.cfg:"));
	/* The hidden menu: timeout_style=hidden, timeout=0; nobody holds
	 * shift. */
	assert_int_equal(r.timeout, 0);
	assert_int_equal(r.default_index, 0);
	assert_int_equal(warn_count(&w), 0);
}

static void test_fedora_blscfg(void **state)
{
	assert_int_equal(parse_fixture("fedora40.cfg", "/boot/grub2/grub.cfg",
				       "fedora40.grubenv"), 0);
	assert_true(r.blscfg);
	assert_int_equal(r.blscfg_index, 0);    /* BLS entries come first */
	assert_int_equal(l.n, 1);               /* UEFI Firmware Settings */
	assert_non_null(l.v[0].error);
	/* The default is a BLS id: only the caller can match it. */
	assert_string_equal(r.default_spec,
			    "3f6a2c1e9b8d4e7fa0b1c2d3e4f5a6b7-6.8.5-301.fc40.x86_64");
	assert_int_equal(r.default_index, -1);
	assert_int_equal(r.timeout, 5);
	assert_int_equal(r.nr_include, 2);
	assert_string_equal(r.include[0], "/boot/grub2/user.cfg");
	assert_int_equal(warn_count(&w), 0);
}

static void test_script(void **state)
{
	const char *t =
		"# variables, quoting and expansion\r\n"
		"menuentry_id_option=\"--id\"\n"
		"set opts=\"console=ttyS0  quiet\"\r\n"
		"kdir=/k\n"
		"set 'x=a b' y=\\$lit\n"
		"menuentry \"One ${kdir}\" --class os --id=one {\n"
		"  linux $kdir/vmlinuz $opts \"q=a b\" 'c' \"$x\" $y # comment\n"
		"  initrd /i1 (hd0,gpt2)/i2   /i3\n"
		"  devicetree /dtb/board.dtb\n"
		"}\n"
		"menuentry 'Two' { linux (hd0,gpt1)/vmlinuz-2 root=/dev/sda1; "
		"initrd /a; initrd /b; }\n"
		"menuentry 'Two' { linux /v; }\n"
		"menuentry 'Three' --unrestricted $menuentry_id_option three "
		"extra1 extra2 {\n"
		"  search.fs_label ROOTFS\n"
		"  linux /v3 arg=$1,$2 n=$#\n"
		"}\n"
		"menuentry 'Label' {\n"
		"  search --no-floppy --label --set=root MYROOT\n"
		"  linux /v\n"
		"}\n"
		"set default=three\n"
		"set timeout=12\n";
	const struct boot_entry *e;

	assert_int_equal(parse_text(t), 0);
	assert_int_equal(l.n, 5);
	e = &l.v[0];
	assert_string_equal(e->title, "One /k");
	assert_string_equal(e->id, "one");
	assert_string_equal(e->kernel.path, "/k/vmlinuz");
	assert_string_equal(e->options, "console=ttyS0 quiet \"q=a b\" c \"a b\" $lit");
	assert_int_equal(e->nr_initrd, 3);
	assert_string_equal(e->initrd[1].path, "/i2");
	assert_string_equal(e->devicetree.path, "/dtb/board.dtb");
	assert_null(e->fs_uuid);
	/* The last initrd command wins; the device prefix is dropped. */
	e = &l.v[1];
	assert_string_equal(e->kernel.path, "/vmlinuz-2");
	assert_int_equal(e->nr_initrd, 1);
	assert_string_equal(e->initrd[0].path, "/b");
	assert_string_equal(l.v[2].id, "Two~2");
	e = &l.v[3];
	assert_string_equal(e->id, "three");
	assert_string_equal(e->options, "arg=extra1,extra2 n=2");
	assert_string_equal(e->fs_label, "ROOTFS");
	assert_string_equal(l.v[4].fs_label, "MYROOT");
	assert_int_equal(r.default_index, 3);
	assert_int_equal(r.timeout, 12);
	assert_int_equal(warn_count(&w), 0);
}

static void test_conditions(void **state)
{
	const char *t =
		"if [ -s $prefix/grubenv ]; then set a=env; else set a=noenv; fi\n"
		"if [ -f /etc/unknown ]; then set b=then; else set b=else; fi\n"
		"if [ x = y ]; then set c=1; elif [ \"$a\" = noenv -a 2 -gt 1 ]; then "
		"set c=2; else set c=3; fi\n"
		"if ! [ -z \"$b\" ] ; then set d=1; fi\n"
		"if [ \\( 1 -eq 2 -o x != y \\) ]; then set e=yes; fi\n"
		"if keystatus --shift; then set f=shift; else set f=nokey; fi\n"
		"if loadfont unicode; then set g=font; fi\n"
		"while true; do set h=loop; done\n"
		"for i in 1 2; do set h=for; done\n"
		"menuentry \"$a $b $c $d $e $f $g $h\" { linux /v; }\n";

	assert_int_equal(parse_text(t), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].title, "noenv then 2 1 yes nokey font ");
	assert_int_equal(warn_count(&w), 1);
	assert_non_null(strstr(w.msg[0], "loops are not run"));
}

static void test_entries_that_cannot_boot(void **state)
{
	const char *t =
		"menuentry 'Windows' { insmod chain; chainloader /EFI/ms/boot.efi; }\n"
		"menuentry 'Nothing' { echo hi; }\n"
		"menuentry 'Escape' { linux /boot/../../etc/shadow; }\n"
		"menuentry 'Many' { linux /v; initrd /1 /2 /3 /4 /5 /6 /7 /8 /9; }\n"
		"menuentry 'Early' { initrd /i; linux /v; }\n"
		"menuentry 'Empty' { linux; }\n"
		"menuentry 'Dev' { linux (hd0,gpt1); }\n";

	assert_int_equal(parse_text(t), 0);
	assert_int_equal(l.n, 7);
	assert_string_equal(l.v[0].error, "grub: /boot/grub/grub.cfg:1: runs "
			    "'chainloader', not a Linux kernel");
	assert_string_equal(l.v[1].error, "grub: /boot/grub/grub.cfg:2: "
			    "menuentry 'Nothing' loads no kernel (no linux command)");
	assert_string_equal(l.v[2].error, "grub: /boot/grub/grub.cfg:3: path "
			    "'/boot/../../etc/shadow' leaves the partition");
	assert_null(l.v[2].kernel.path);
	assert_string_equal(l.v[3].error, "grub: /boot/grub/grub.cfg:4: more "
			    "than 8 initrds");
	assert_non_null(strstr(l.v[4].error, "initrd before linux"));
	assert_non_null(strstr(l.v[5].error, "linux without a file"));
	assert_non_null(strstr(l.v[6].error, "no file after the device"));
}

static void test_defaults(void **state)
{
	const char *base =
		"menuentry 'A>B' --id a { linux /a; }\n"
		"submenu 'Sub' --id sub {\n"
		"  menuentry 'X' --id x { linux /x; }\n"
		"  submenu 'Deeper' { menuentry 'Y' { linux /y; } }\n"
		"}\n"
		"menuentry 'C' { linux /c; }\n";
	static const struct {
		const char *spec;
		int want;
	} cases[] = {
		{ "0", 0 }, { "1", 1 }, { "2", 3 }, { "1>1>0", 2 },
		{ "A>>B", 0 }, { "a", 0 }, { "sub>x", 1 }, { "Sub>Deeper>Y", 2 },
		{ "Sub>Deeper", 2 }, { "C", 3 }, { "9", 0 }, { "Sub>9", 0 },
		{ "nope", 0 }, { "C>0", 0 },
	};
	char t[1024];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(t, sizeof(t), "%sset default=\"%s\"\n", base, cases[i].spec);
		assert_int_equal(parse_text(t), 0);
		assert_int_equal(l.n, 4);
		if (r.default_index != cases[i].want)
			fail_msg("default=%s: %d, want %d", cases[i].spec,
				 r.default_index, cases[i].want);
	}
	assert_string_equal(l.v[2].title, "Sub>Deeper>Y");
	/* No default at all: entry 0, no warning. */
	assert_int_equal(parse_text(base), 0);
	assert_int_equal(r.default_index, 0);
	assert_null(r.default_spec);
	assert_int_equal(warn_count(&w), 0);
	/* No entries: no default. */
	assert_int_equal(parse_text("set default=0\n"), 0);
	assert_int_equal(r.default_index, -1);
}

static void test_functions_and_includes(void **state)
{
	const char *t =
		"function setk { set kernel=\"$1\"; set n=$#; }\n"
		"function loop { loop; }\n"
		"setk /vmlinuz-f a b\n"
		"loop\n"
		"source $prefix/extra.cfg\n"
		"configfile (hd0,gpt2)/boot/grub/other.cfg\n"
		"frobnicate --now\n"
		"linux /outside\n"
		"menuentry \"F\" { linux $kernel n=$n; }\n";

	assert_int_equal(parse_text(t), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].kernel.path, "/vmlinuz-f");
	assert_string_equal(l.v[0].options, "n=3");
	assert_int_equal(r.nr_include, 2);
	assert_string_equal(r.include[0], "/boot/grub/extra.cfg");
	assert_true(r.include_is_configfile[1]);
	assert_string_equal(r.include[1], "(hd0,gpt2)/boot/grub/other.cfg");
	assert_int_equal(warn_count(&w), 3);
	assert_non_null(strstr(w.msg[0], "functions nested deeper than 8"));
	assert_string_equal(w.msg[1], "grub: /boot/grub/grub.cfg:7: unknown "
			    "command 'frobnicate' skipped");
	assert_string_equal(w.msg[2], "grub: /boot/grub/grub.cfg:8: 'linux' "
			    "outside a menuentry; ignored");
}

static void test_runaway(void **state)
{
	/* Each level calls the next ten times: 10^7 calls if nothing stops. */
	char t[4096] = "";
	int i;

	for (i = 0; i < 7; i++)
		snprintf(t + strlen(t), sizeof(t) - strlen(t),
			 "function f%d { f%d; f%d; f%d; f%d; f%d; f%d; f%d; f%d; "
			 "f%d; f%d; }\n", i, i + 1, i + 1, i + 1, i + 1, i + 1,
			 i + 1, i + 1, i + 1, i + 1, i + 1);
	strcat(t, "function f7 { set x=1; }\nf0\nmenuentry M { linux /v; }\n");
	assert_int_equal(parse_text(t), 0);
	assert_non_null(strstr(w.msg[0], "commands run; stopped"));
	/* The menu after the runaway call is not reached: it stopped. */
	assert_int_equal(l.n, 0);
}

static void test_syntax_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "menuentry 'x { linux /v; }\n",
		  "grub: /boot/grub/grub.cfg:1: unterminated quote" },
		{ "set a=1\nmenuentry x {\n linux /v\n",
		  "grub: /boot/grub/grub.cfg:2: '{' is never closed by '}'" },
		{ "linux /v\n}\n", "grub: /boot/grub/grub.cfg:2: '}' without '{'" },
		{ "fi\n", "grub: /boot/grub/grub.cfg:1: unexpected 'fi'" },
		{ "if true; then\nset a=1\n", "grub: /boot/grub/grub.cfg:1: 'if' "
		  "without 'fi'" },
		{ "if true\nfi\n", "grub: /boot/grub/grub.cfg:2: unexpected 'fi'" },
		{ "if true\n", "grub: /boot/grub/grub.cfg:1: 'if' without 'then'" },
		{ "echo ${open\n", "grub: /boot/grub/grub.cfg:1: unterminated ${" },
		{ "menuentry x\n\nset a=1\n", "grub: /boot/grub/grub.cfg:3: '{' "
		  "expected" },
		{ "function { }\n", "grub: /boot/grub/grub.cfg:1: function without "
		  "a name" },
		{ "while true; set a=1; done\n", "grub: /boot/grub/grub.cfg:1: "
		  "unexpected 'done'" },
		{ "while true; do set a=1\n", "grub: /boot/grub/grub.cfg:1: loop "
		  "without 'done'" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (parse_text(cases[i].text) != -EINVAL)
			fail_msg("case %zu parsed", i);
		assert_string_equal(kx_last_error(), cases[i].msg);
		assert_int_equal(l.n, 0);
		assert_null(r.default_spec);
	}
}

static void test_hostile(void **state)
{
	static const char nul[] = "menuentry 'a\0b' { linux /v\xff\xfe; }\n";
	char *big, *deep;
	size_t i, n;

	/* NUL and invalid UTF-8: read as '?', warned once. */
	reset();
	assert_int_equal(grub_parse("g.cfg", nul, sizeof(nul) - 1, NULL, 0, &l,
				    &r, &w), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].title, "a?b");
	assert_string_equal(l.v[0].kernel.path, "/v??");
	assert_string_equal(w.msg[0], "grub: g.cfg:1: NUL or invalid UTF-8 read "
			    "as '?'");

	/* Nested 40 deep: refused, not a stack overflow. */
	deep = calloc(1, 40 * 40 + 64);
	for (i = 0; i < 40; i++)
		strcat(deep, "if true; then\n");
	for (i = 0; i < 40; i++)
		strcat(deep, "fi\n");
	assert_int_equal(parse_text(deep), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "nested too deep"));
	free(deep);

	/* A 200 KiB word: the value is cut, warned. */
	n = 200 * 1024;
	big = malloc(n + 64);
	strcpy(big, "set x=");
	memset(big + 6, 'a', n);
	strcpy(big + 6 + n, "\nmenuentry m { linux /v $x; }\n");
	assert_int_equal(parse_text(big), 0);
	assert_true(strlen(l.v[0].options) > GRUB_MAX_VALUE - 8);
	assert_true(strlen(l.v[0].options) <= GRUB_MAX_VALUE);
	assert_non_null(strstr(w.msg[0], "cut at 16384 bytes"));
	free(big);

	/* Too many entries: the rest ignored, warned once. */
	big = malloc(300 * 40);
	big[0] = '\0';
	for (i = 0; i < 300; i++)
		strcat(big, "menuentry e { linux /v; }\n");
	assert_int_equal(parse_text(big), 0);
	assert_int_equal(l.n, GRUB_MAX_ENTRIES);
	assert_int_equal(warn_count(&w), 1);
	assert_string_equal(l.v[255].id, "e~256");
	free(big);

	/* A submenu whose body defines enough items to move the item table
	 * while it runs, using its $1 after that (its children see the
	 * variables it left). */
	big = malloc(64 * 40 + 128);
	strcpy(big, "submenu S x1 {\n");
	for (i = 0; i < 60; i++)
		strcat(big, " menuentry e { linux /v $1; }\n");
	strcat(big, " menuentry last { linux /v $v; }\n set v=$1\n}\n");
	assert_int_equal(parse_text(big), 0);
	assert_int_equal(l.n, 61);
	assert_string_equal(l.v[60].title, "S>last");
	assert_string_equal(l.v[60].options, "x1");
	free(big);

	/* Too big. */
	reset();
	assert_int_equal(grub_parse("g.cfg", "", GRUB_MAX_FILE + 1, NULL, 0, &l,
				    &r, &w), -EFBIG);
}

static void test_grubenv(void **state)
{
	static const char blk[] = "# GRUB Environment Block\n"
				  "saved_entry=a\\\nb\\\\c\n"
				  "novalue\n"
				  "empty=\n"
				  "saved_entry=last\n"
				  "k=v=w\n"
				  "##########";
	static const char cfg[] = "load_env\nmenuentry \"$saved_entry\" "
				  "{ linux /v; }\n";
	struct grubenv env;

	memset(&w, 0, sizeof(w));
	assert_int_equal(grubenv_parse("e", blk, sizeof(blk) - 1, &env, &w), 0);
	assert_int_equal(env.n, 3);
	assert_string_equal(env.name[0], "saved_entry");
	assert_string_equal(env.value[0], "last");
	assert_string_equal(env.value[1], "");
	assert_string_equal(env.name[2], "k");
	assert_string_equal(env.value[2], "v=w");
	assert_string_equal(w.msg[0], "grubenv: e:4: not name=value; ignored");
	grubenv_free(&env);
	/* An escaped newline stays in the value. */
	assert_int_equal(grubenv_parse("e", blk, 45, &env, NULL), 0);
	assert_string_equal(env.value[0], "a\nb\\c");
	grubenv_free(&env);
	assert_int_equal(grubenv_parse("e", "saved_entry=1\n", 14, &env, NULL),
			 -EINVAL);
	assert_string_equal(kx_last_error(), "grubenv: e: no \"# GRUB Environment "
			    "Block\" signature");
	assert_int_equal(env.n, 0);

	/* A bad block behind load_env: warned, nothing loaded. */
	reset();
	assert_int_equal(grub_parse("g.cfg", cfg, strlen(cfg), "junk", 4, &l, &r,
				    &w), 0);
	assert_string_equal(l.v[0].title, "");
	assert_non_null(strstr(w.msg[0], "no \"# GRUB Environment Block\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_debian12, teardown),
		cmocka_unit_test_teardown(test_debian12_saved, teardown),
		cmocka_unit_test_teardown(test_ubuntu, teardown),
		cmocka_unit_test_teardown(test_fedora_blscfg, teardown),
		cmocka_unit_test_teardown(test_script, teardown),
		cmocka_unit_test_teardown(test_conditions, teardown),
		cmocka_unit_test_teardown(test_entries_that_cannot_boot, teardown),
		cmocka_unit_test_teardown(test_defaults, teardown),
		cmocka_unit_test_teardown(test_functions_and_includes, teardown),
		cmocka_unit_test_teardown(test_runaway, teardown),
		cmocka_unit_test_teardown(test_syntax_errors, teardown),
		cmocka_unit_test_teardown(test_hostile, teardown),
		cmocka_unit_test_teardown(test_grubenv, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
