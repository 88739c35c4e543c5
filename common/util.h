/* The few macros every part of kexshim wants once.  Freestanding: built
 * into efi/, boot/ and purgatory/. */
#ifndef KEXSHIM_COMMON_UTIL_H
#define KEXSHIM_COMMON_UTIL_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* a must be a power of two.  ALIGN_UP wraps to 0 past the top of the type:
 * callers that take untrusted sizes check with ALIGN_UP(x, a) < x. */
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a) ALIGN_DOWN((x) + ((__typeof__(x))(a) - 1), (a))

#endif
