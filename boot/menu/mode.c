/* kexshim menu: when the menu shows (see menu.h). */
#include <errno.h>
#include <string.h>

#include "lib/error.h"
#include "menu/menu.h"

int menu_mode_parse(const char *s, enum menu_mode *mode)
{
	if (!strcmp(s, "auto"))
		*mode = MENU_AUTO;
	else if (!strcmp(s, "force"))
		*mode = MENU_FORCE;
	else if (!strcmp(s, "never"))
		*mode = MENU_NEVER;
	else
		return kx_fail(EINVAL, "menu: kexshim.menu=%s: want auto, force or never", s);
	return 0;
}

bool menu_wanted(const char *root, enum menu_mode mode, unsigned timeout)
{
	switch (mode) {
	case MENU_NEVER:
		return false;
	case MENU_FORCE:
		return true;
	default:
		return timeout > 0 || menu_key_waiting(root, MENU_GRACE_MS);
	}
}
