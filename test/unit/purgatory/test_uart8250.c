/* test/unit: the purgatory's 8250 output (purgatory/uart8250.c), built for
 * the host and run against a fake register block in ordinary memory.  What
 * memory can show: which bytes a write changed (a 32-bit store of 'A'
 * leaves 41 00 00 00, a byte store 41 and the old three bytes) and where
 * LSR is read (THRE is set only at one offset; reading any other times
 * out).  Port I/O goes through fake arch_pio_* that record the ports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "purgatory/purgatory.h"

#define THR 0
#define LSR 5
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define FILL 0xee

static _Alignas(8) uint8_t regs[64];

/* ---- port I/O fakes ---- */
static uint16_t pio_read_port, pio_write_port;
static uint8_t pio_written;
static int pio_reads, pio_writes;

uint8_t arch_pio_read8(uint16_t port)
{
	pio_reads++;
	pio_read_port = port;
	return port == 0x3f8 + LSR ? LSR_THRE | LSR_TEMT : 0;
}

void arch_pio_write8(uint16_t port, uint8_t v)
{
	pio_writes++;
	pio_write_port = port;
	pio_written = v;
}

static struct purgatory_console mmio(uint8_t shift, uint8_t width)
{
	struct purgatory_console c = {
		.type = PURGATORY_CONSOLE_8250_MMIO,
		.reg_shift = shift,
		.reg_width = width,
		.base = (uint64_t)(uintptr_t)regs,
	};

	return c;
}

/* regs as it must look after writing 'A' to THR with `width` bytes:
 * THR's bytes replaced, every other byte as it was. */
static void expect_thr(const uint8_t before[64], unsigned int width)
{
	uint8_t want[64];

	memcpy(want, before, 64);
	want[0] = 'A';
	memset(want + 1, 0, width - 1);
	assert_memory_equal(regs, want, 64);
}

/* mmio32 / reg-io-width 4: LSR read at 5 << 2, THR written as one 32-bit
 * word (all four bytes change). */
static void test_width4(void **state)
{
	struct purgatory_console c = mmio(2, 4);
	uint8_t before[64];

	memset(regs, FILL, sizeof(regs));
	memset(regs + (LSR << 2), 0, 4);
	regs[LSR << 2] = LSR_THRE | LSR_TEMT;
	memset(regs + THR, 0xff, 4);
	memcpy(before, regs, 64);
	assert_int_equal(uart8250_putc(&c, 'A'), 0);
	expect_thr(before, 4);
}

/* Plain mmio: bytes at consecutive offsets; only THR's one byte changes. */
static void test_width1(void **state)
{
	struct purgatory_console c = mmio(0, 1);
	uint8_t before[64];

	memset(regs, FILL, sizeof(regs));
	regs[LSR] = LSR_THRE;
	memcpy(before, regs, 64);
	assert_int_equal(uart8250_putc(&c, 'A'), 0);
	expect_thr(before, 1);
}

/* DT reg-shift = <2> without reg-io-width: 4-byte stride, byte accesses. */
static void test_width1_stride4(void **state)
{
	struct purgatory_console c = mmio(2, 1);
	uint8_t before[64];

	memset(regs, FILL, sizeof(regs));
	regs[LSR << 2] = LSR_THRE;
	memcpy(before, regs, 64);
	assert_int_equal(uart8250_putc(&c, 'A'), 0);
	expect_thr(before, 1);
}

/* mmio16: LSR at 5 << 1, THR written as a 16-bit word. */
static void test_width2(void **state)
{
	struct purgatory_console c = mmio(1, 2);
	uint8_t before[64];

	memset(regs, FILL, sizeof(regs));
	regs[LSR << 1] = LSR_THRE;
	regs[(LSR << 1) + 1] = 0;
	memcpy(before, regs, 64);
	assert_int_equal(uart8250_putc(&c, 'A'), 0);
	expect_thr(before, 2);
}

/* Port I/O: LSR at base + 5, THR at base, no MMIO at all. */
static void test_pio(void **state)
{
	struct purgatory_console c = {
		.type = PURGATORY_CONSOLE_8250_IO, .reg_width = 1, .base = 0x3f8,
	};

	memset(regs, FILL, sizeof(regs));
	pio_reads = pio_writes = 0;
	assert_int_equal(uart8250_putc(&c, 'A'), 0);
	assert_int_equal(pio_read_port, 0x3f8 + LSR);
	assert_int_equal(pio_reads, 1);
	assert_int_equal(pio_writes, 1);
	assert_int_equal(pio_write_port, 0x3f8);
	assert_int_equal(pio_written, 'A');
	for (size_t i = 0; i < sizeof(regs); i++)
		assert_int_equal(regs[i], FILL);
}

/* Last: it leaves the UART marked dead for the rest of this process.
 * THRE where a driver ignoring reg_shift would look (byte 5), none where
 * LSR really is (byte 20): the polls run out, THR is never written, and
 * the next character is dropped at once even though THRE is now set. */
static void test_lsr_offset_and_timeout(void **state)
{
	struct purgatory_console c = mmio(2, 4);
	uint8_t before[64];

	memset(regs, 0, sizeof(regs));
	regs[LSR] = LSR_THRE | LSR_TEMT;
	memset(regs + THR, 0xff, 4);
	memcpy(before, regs, 64);
	assert_int_equal(uart8250_putc(&c, 'A'), -1);
	assert_memory_equal(regs, before, 64);
	regs[LSR << 2] = LSR_THRE;
	memcpy(before, regs, 64);
	assert_int_equal(uart8250_putc(&c, 'B'), -1);
	assert_memory_equal(regs, before, 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width4),
		cmocka_unit_test(test_width1),
		cmocka_unit_test(test_width1_stride4),
		cmocka_unit_test(test_width2),
		cmocka_unit_test(test_pio),
		cmocka_unit_test(test_lsr_offset_and_timeout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
