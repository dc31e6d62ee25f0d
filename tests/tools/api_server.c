/*
 * Stand-alone runner of the API role for tests and benchmarks, until
 * xrouted's main (src/daemon) dispatches --role api itself.
 */
#include "api/api.h"

int
main(int argc, char **argv)
{
	return api_role_main(argc, argv);
}
