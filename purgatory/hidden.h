/* purgatory: forced into every purgatory object (-include).  Every symbol,
 * declared or defined, is local to the blob, so GCC addresses it RIP-relative
 * instead of through the GOT: the blob must run wherever it is copied without
 * anything patching it. */
#ifndef __ASSEMBLER__
#pragma GCC visibility push(hidden)
#endif
