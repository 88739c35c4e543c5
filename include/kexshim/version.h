/* kexshim's version, the one both halves report (the CLI's --version,
 * PID 1's banner, kexshim.efi's LoaderInfo).  The Makefile may pass
 * -DKEXSHIM_VERSION="..." (e.g. from git describe). */
#ifndef KEXSHIM_VERSION_H
#define KEXSHIM_VERSION_H

#ifndef KEXSHIM_VERSION
#define KEXSHIM_VERSION "0.1.0"
#endif

#endif
