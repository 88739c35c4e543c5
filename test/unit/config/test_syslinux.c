/*
 * test/unit/config/test_syslinux.c: host tests of boot/config/syslinux.c
 * on the extlinux.conf Debian 12's own u-boot-update generated
 * (test/unit/fixtures/syslinux/, see its README), files after Fedora ARM's,
 * Arch's syslinux.cfg and a pxelinux.cfg/default, INCLUDE through the
 * callback, and malformed input: case, CRLF, NUL, invalid UTF-8, long
 * lines, paths climbing out of the partition, labels that cannot boot.
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
#include "config/syslinux.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "lib/warn.h"

static struct entry_list l;
static struct syslinux_result r;
static struct warnings w;

static void reset(void)
{
	entry_list_free(&l);
	syslinux_result_free(&r);
	memset(&w, 0, sizeof(w));
}

static int teardown(void **state)
{
	reset();
	return 0;
}

static int parse_fixture(const char *file, const char *name, const char *dir,
			 syslinux_read_fn read)
{
	const char *top = getenv("KEXSHIM_TOP");
	char path[4096];
	char *buf = NULL;
	size_t len;
	int rc;

	assert_non_null(top);
	snprintf(path, sizeof(path), "%s/test/unit/fixtures/syslinux/%s", top,
		 file);
	assert_int_equal(read_file_whole("test", path, 0, &buf, &len), 0);
	reset();
	rc = syslinux_parse(name, dir, buf, len, read, NULL, &l, &r, &w);
	free(buf);
	return rc;
}

static int parse_text(const char *text)
{
	reset();
	return syslinux_parse("/boot/extlinux/extlinux.conf", NULL, text,
			      strlen(text), NULL, NULL, &l, &r, &w);
}

static void test_u_boot_menu(void **state)
{
	const struct boot_entry *e;

	assert_int_equal(parse_fixture("debian12-u-boot-menu.conf",
				       "/boot/extlinux/extlinux.conf", NULL,
				       NULL), 0);
	assert_int_equal(l.n, 4);
	e = &l.v[0];
	assert_int_equal(e->source, ENTRY_SYSLINUX);
	assert_string_equal(e->id, "l0");
	assert_string_equal(e->title, "Debian GNU/Linux 12 (bookworm) 6.1.0-57-arm64");
	assert_string_equal(e->kernel.path, "/boot/vmlinuz-6.1.0-57-arm64");
	assert_int_equal(e->nr_initrd, 1);
	assert_string_equal(e->initrd[0].path, "/boot/initrd.img-6.1.0-57-arm64");
	/* fdtdir: the directory, '/' last; the caller adds the board. */
	assert_string_equal(e->devicetree.path, "/boot/dtbs/6.1.0-57-arm64/");
	assert_int_equal(e->nr_overlay, 1);
	assert_string_equal(e->overlay[0].path, "/boot/dtbo/uart2.dtbo");
	assert_string_equal(e->options, "root=UUID=a1b2c3d4-e5f6-4789-8abc-"
			    "def012345678 rootwait console=ttyS2,1500000 ro quiet");
	assert_string_equal(e->config, "/boot/extlinux/extlinux.conf");
	assert_null(e->error);
	assert_string_equal(l.v[1].id, "l0r");
	assert_string_equal(l.v[1].title, "Debian GNU/Linux 12 (bookworm) "
			    "6.1.0-57-arm64 (rescue target)");
	assert_int_equal(l.v[1].nr_overlay, 0);
	assert_string_equal(l.v[3].kernel.path, "/boot/vmlinuz-6.1.0-56-arm64");
	assert_int_equal(r.default_index, 0);
	assert_string_equal(r.default_label, "l0");
	assert_int_equal(r.timeout, 50);   /* tenths: 5 s */
	assert_string_equal(r.menu_title, "U-Boot menu");
	assert_int_equal(warn_count(&w), 0);
}

static void test_fedora_arm(void **state)
{
	assert_int_equal(parse_fixture("fedora29-arm.conf", "/extlinux/extlinux.conf",
				       NULL, NULL), 0);
	assert_int_equal(l.n, 2);
	/* A label with blanks, and `default` naming it whole. */
	assert_string_equal(l.v[0].id, "Fedora (4.18.16-300.fc29.armv7hl) 29 "
			    "(Twenty Nine)");
	assert_string_equal(l.v[0].title, l.v[0].id);
	assert_string_equal(l.v[0].devicetree.path, "/dtb-4.18.16-300.fc29.armv7hl/");
	assert_string_equal(l.v[1].initrd[0].path, "/initramfs-0-rescue-"
			    "5f1e2d3c4b5a69788796a5b4c3d2e1f0.img");
	assert_int_equal(r.default_index, 0);
	assert_string_equal(r.default_label, l.v[0].id);
	assert_int_equal(r.timeout, 20);
	assert_string_equal(r.menu_title, "Fedora Boot Options.");
	assert_int_equal(warn_count(&w), 0);
}

static void test_arch_syslinux(void **state)
{
	assert_int_equal(parse_fixture("arch-syslinux.cfg",
				       "/boot/syslinux/syslinux.cfg", NULL, NULL), 0);
	assert_int_equal(l.n, 5);
	/* "../vmlinuz-linux" from /boot/syslinux. */
	assert_string_equal(l.v[0].kernel.path, "/boot/vmlinuz-linux");
	assert_string_equal(l.v[1].initrd[0].path, "/boot/initramfs-linux-fallback.img");
	assert_string_equal(l.v[0].options, "root=/dev/sda3 rw");
	assert_string_equal(l.v[2].title, "HDT (Hardware Detection Tool)");
	assert_string_equal(l.v[2].error, "syslinux: /boot/syslinux/syslinux.cfg:56: "
			    "COM32 runs a syslinux module, not a Linux kernel");
	assert_int_equal(r.default_index, 0);
	assert_string_equal(r.menu_title, "Arch Linux");
	assert_int_equal(warn_count(&w), 0);
}

static int read_common(void *ctx, const char *path, char **buf, size_t *len)
{
	static const char common[] =
		"label rescue\n  kernel rescue/vmlinuz\n  append rescue\n"
		"include pxelinux.cfg/missing\n";

	if (strcmp(path, "/pxelinux.cfg/common"))
		return -ENOENT;
	*buf = strdup(common);
	*len = sizeof(common) - 1;
	return 0;
}

static void test_pxelinux(void **state)
{
	assert_int_equal(parse_fixture("pxelinux-default", "pxelinux.cfg/default",
				       "", read_common), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].title, "Boot from local drive"); /* no '^' */
	assert_non_null(strstr(l.v[0].error, "LOCALBOOT boots the local disk"));
	/* TFTP-root paths; initrd= moved out of the options. */
	assert_string_equal(l.v[1].kernel.path, "/debian-installer/amd64/linux");
	assert_string_equal(l.v[1].initrd[0].path, "/debian-installer/amd64/initrd.gz");
	assert_string_equal(l.v[1].options, "vga=788 --- quiet");
	/* The included file's label, in place, named after its file. */
	assert_string_equal(l.v[2].id, "rescue");
	assert_string_equal(l.v[2].config, "/pxelinux.cfg/common");
	assert_string_equal(l.v[2].kernel.path, "/rescue/vmlinuz");
	/* ONTIMEOUT wins over DEFAULT menu.c32: what runs unattended. */
	assert_int_equal(r.default_index, 0);
	assert_string_equal(r.default_label, "local");
	assert_int_equal(r.timeout, 300);
	assert_int_equal(warn_count(&w), 1);
	assert_string_equal(w.msg[0], "syslinux: /pxelinux.cfg/common:4: INCLUDE "
			    "/pxelinux.cfg/missing: No such file or directory; "
			    "skipped");

	/* Without a callback, the include is noted. */
	assert_int_equal(parse_fixture("pxelinux-default", "pxelinux.cfg/default",
				       "", NULL), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(r.nr_include, 1);
	assert_string_equal(r.include[0], "/pxelinux.cfg/common");
}

static void test_syntax(void **state)
{
	const char *t =
		"# comment\r\n"
		"  APPEND console=ttyS0 initrd=/global.img\r\n"
		"MENU TITLE Top\r\n"
		"DeFaulT Second\r\n"
		"label first\r\n"
		"\tLINUX vmlinuz extra=1\r\n"
		"\tINITRD a.img, b.img,c.img\r\n"
		"label second\r\n"
		"  kernel /k2\r\n"
		"  append -\r\n"
		"  menu default\r\n"
		"  text help\r\n"
		"  label inside-help\r\n"
		"  endtext\r\n"
		"menu begin sub\r\n"
		"  menu title Not the menu's\r\n"
		"  label third\r\n"
		"    menu label ^Third ^one\r\n"
		"    kernel ./x/../k3\r\n"
		"    fdt dtbs/board.dtb\r\n"
		"menu end\r\n"
		"label first\r\n"
		"  linux /again\r\n";

	assert_int_equal(parse_text(t), 0);
	assert_int_equal(l.n, 4);
	/* Relative paths from the config's directory; KERNEL's extra words
	 * and the global APPEND; initrd= from it after INITRD's. */
	assert_string_equal(l.v[0].kernel.path, "/boot/extlinux/vmlinuz");
	assert_string_equal(l.v[0].options, "extra=1 console=ttyS0");
	assert_int_equal(l.v[0].nr_initrd, 4);
	assert_string_equal(l.v[0].initrd[1].path, "/boot/extlinux/b.img");
	assert_string_equal(l.v[0].initrd[3].path, "/global.img");
	/* "APPEND -": nothing, not even the global one. */
	assert_null(l.v[1].options);
	assert_string_equal(l.v[2].title, "Third one");
	assert_string_equal(l.v[2].kernel.path, "/boot/extlinux/k3");
	assert_string_equal(l.v[2].devicetree.path, "/boot/extlinux/dtbs/board.dtb");
	assert_string_equal(l.v[3].id, "first~2");
	/* MENU DEFAULT over DEFAULT. */
	assert_int_equal(r.default_index, 1);
	assert_string_equal(r.menu_title, "Top");
	assert_int_equal(warn_count(&w), 0);
}

static void test_bad_labels(void **state)
{
	char t[2048];
	size_t i;

	snprintf(t, sizeof(t),
		 "label up\n kernel ../../../etc/shadow\n"
		 "label none\n append x\n"
		 "label menu\n kernel vesamenu.c32\n"
		 "label many\n linux /v\n initrd %s\n"
		 "label noarg\n linux\n"
		 "label\n"
		 "kernel /outside\n"
		 "frobnicate now\n"
		 "ipappend 2\n"
		 "timeout soon\n"
		 "default nothing\n",
		 "/1,/2,/3,/4,/5,/6,/7,/8,/9");
	assert_int_equal(parse_text(t), 0);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.v[0].error, "syslinux: /boot/extlinux/extlinux.conf:2: "
			    "path '../../../etc/shadow' climbs above the partition "
			    "root");
	assert_null(l.v[0].kernel.path);
	assert_string_equal(l.v[1].error, "syslinux: /boot/extlinux/extlinux.conf:3: "
			    "label 'none' has no KERNEL or LINUX");
	assert_non_null(strstr(l.v[2].error, "KERNEL vesamenu.c32 is a COM32 module"));
	assert_non_null(strstr(l.v[3].error, "more than 8 initrds"));
	assert_non_null(strstr(l.v[4].error, "linux without a file"));
	for (i = 0; i < l.n; i++)
		assert_non_null(l.v[i].error);
	assert_int_equal(r.default_index, 0);
	assert_int_equal(r.timeout, -1);
	assert_int_equal(warn_count(&w), 6);
	assert_string_equal(w.msg[0], "syslinux: /boot/extlinux/extlinux.conf:12: "
			    "LABEL without a name; ignored");
	assert_non_null(strstr(w.msg[1], ":13: kernel outside a LABEL"));
	assert_non_null(strstr(w.msg[2], ":14: unknown keyword 'frobnicate'"));
	assert_non_null(strstr(w.msg[3], "ipappend"));
	assert_non_null(strstr(w.msg[4], "TIMEOUT 'soon'"));
	assert_non_null(strstr(w.msg[5], "DEFAULT 'nothing' names no label"));
}

static void test_hostile(void **state)
{
	static const char bad[] = "label a\n linux /v\xff\n linux /\0x\n linux /ok\n";
	char *big;
	size_t n = 70 * 1024;

	reset();
	assert_int_equal(syslinux_parse("c", "/", bad, sizeof(bad) - 1, NULL, NULL,
					&l, &r, &w), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].kernel.path, "/ok");
	assert_string_equal(w.msg[0], "syslinux: c:2: invalid UTF-8; line skipped");
	assert_string_equal(w.msg[1], "syslinux: c:3: NUL byte; line skipped");

	big = malloc(n + 64);
	strcpy(big, "label a\n linux /v\n append ");
	memset(big + strlen(big), 'x', n);
	strcpy(big + 27 + n, "\n");
	assert_int_equal(parse_text(big), 0);
	assert_null(l.v[0].options);
	assert_non_null(strstr(w.msg[0], ":3: line too long"));
	free(big);

	/* A label written like a made-unique id does not collide. */
	assert_int_equal(parse_text("label a\n linux /1\nlabel a~3\n linux /2\n"
				    "label a\n linux /3\nlabel a\n linux /4\n"), 0);
	assert_string_equal(l.v[1].id, "a~3");
	assert_string_equal(l.v[2].id, "a~4");
	assert_string_equal(l.v[3].id, "a~5");

	/* Empty, no labels. */
	assert_int_equal(parse_text(""), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(r.default_index, -1);
	reset();
	assert_int_equal(syslinux_parse("c", NULL, "", SYSLINUX_MAX_FILE + 1, NULL,
					NULL, &l, &r, &w), -EFBIG);
}

/* An INCLUDE of itself: stops at the depth limit. */
static int read_self(void *ctx, const char *path, char **buf, size_t *len)
{
	static const char self[] = "include self.cfg\nlabel x\n linux /x\n";

	*buf = strdup(self);
	*len = sizeof(self) - 1;
	return 0;
}

static void test_include_loop(void **state)
{
	reset();
	assert_int_equal(syslinux_parse("/self.cfg", NULL, "include self.cfg\n", 17,
					read_self, NULL, &l, &r, &w), 0);
	assert_int_equal(l.n, SYSLINUX_MAX_DEPTH - 1);
	assert_string_equal(l.v[1].id, "x~2");
	assert_non_null(strstr(w.msg[0], "INCLUDE nested deeper than 8 or more than 32 in all"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_u_boot_menu, teardown),
		cmocka_unit_test_teardown(test_fedora_arm, teardown),
		cmocka_unit_test_teardown(test_arch_syslinux, teardown),
		cmocka_unit_test_teardown(test_pxelinux, teardown),
		cmocka_unit_test_teardown(test_syntax, teardown),
		cmocka_unit_test_teardown(test_bad_labels, teardown),
		cmocka_unit_test_teardown(test_hostile, teardown),
		cmocka_unit_test_teardown(test_include_loop, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
