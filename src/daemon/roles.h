/*
 * Roles other than the BGP speaker (edge, gateway) are built in by other
 * modules. A weak declaration lets xrouted link without them: main()
 * checks the symbol and reports "role api is not built in" when absent.
 */
#ifndef XR_DAEMON_ROLES_H
#define XR_DAEMON_ROLES_H

/* src/api/: the REST control plane; gets xrouted's full argv. */
int	api_role_main(int, char **) __attribute__((weak));

#endif
