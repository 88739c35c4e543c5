/* kexshim menu: the consoles the menu runs on.  Every console the kernel
 * writes to (/sys/class/tty/console/active, e.g. "tty0 ttyS0") is opened,
 * put in raw mode for as long as the menu needs it, and given back as it
 * was.  Runs in PID 1; host tests use a pseudo-terminal under a fake root. */
#ifndef KEXSHIM_MENU_TTY_H
#define KEXSHIM_MENU_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

#include "menu/key.h"
#include "menu/render.h"

#define TTY_MAX 8          /* consoles; the kernel allows 8 (MAX_CMDLINECONSOLES) */
#define TTY_NAME_MAX 32
/* A console that takes no output for this long (a serial line held by
 * flow control, nobody at the other end) is left out, so that the boot
 * goes on. */
#define TTY_STALL_MS 2000

struct tty {
	char name[TTY_NAME_MAX]; /* "ttyS0" */
	int fd;
	struct termios saved;    /* restored by tty_close_all() */
	struct key_decoder dec;
	uint64_t last_byte_ms;   /* for the decoder's idle timeout */
	unsigned ws_cols, ws_rows; /* what TIOCGWINSZ said last */
	struct render r;
};

struct ttys {
	struct tty t[TTY_MAX];   /* fd -1: left out */
	size_t n;
	char dropped[TTY_MAX * (TTY_NAME_MAX + 1)]; /* names left out, for a warning */
};

/* Open root/dev/NAME for every NAME in root/sys/class/tty/console/active
 * (root "" is the live system) that is a terminal, in raw mode: no echo,
 * no line editing, no signals, bytes as typed.
 * Return: the number opened (0..TTY_MAX), or -errno (kx_fail "menu: ...")
 * when the list cannot be read. */
int tty_open_all(const char *root, struct ttys *ts);

/* Restore each terminal's mode (pending input stays queued) and close. */
void tty_close_all(struct ttys *ts);

/* Write to tty i; on a stall or a hang-up close it and leave it out.
 * Return: 0, or -EIO when it was left out. */
int tty_write(struct ttys *ts, size_t i, const char *buf, size_t len);

/* Leave tty i out (closed, mode restored) after a hang-up or stall. */
void tty_drop(struct ttys *ts, size_t i);

/* Return: milliseconds of CLOCK_MONOTONIC. */
uint64_t tty_now_ms(void);

#endif
