/*
 * xrctl lab: run lab/lab.sh, the netns lab builder, with the xrouted that
 * sits beside this xrctl. The script is found through XR_LAB_SCRIPT, then
 * next to the build tree (BUILD/xrctl -> BUILD/../lab/lab.sh), then in the
 * installed location.
 */
#include <errno.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xrctl.h"

#define LAB_INSTALLED	"/usr/share/xroute/lab/lab.sh"

int
lab_cmd(int argc, char **argv)
{
	char exe[PATH_MAX], dir[PATH_MAX], script[PATH_MAX + 32];
	const char *env = getenv("XR_LAB_SCRIPT");
	char **args;
	ssize_t n;
	int i;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) == -1) {
		fprintf(stderr, "xrctl: cannot find my own path: %s\n",
		    strerror(errno));
		return 1;
	}
	exe[n] = '\0';
	snprintf(dir, sizeof(dir), "%s", dirname(exe));
	if (env != NULL && *env != '\0')
		snprintf(script, sizeof(script), "%s", env);
	else {
		snprintf(script, sizeof(script), "%s/../lab/lab.sh", dir);
		if (access(script, X_OK) == -1)
			snprintf(script, sizeof(script), "%s", LAB_INSTALLED);
	}
	if (access(script, X_OK) == -1) {
		fprintf(stderr, "xrctl: the lab script %s is missing (set "
		    "XR_LAB_SCRIPT)\n", script);
		return 69;
	}
	/* the daemon binaries of this build drive the lab */
	if (getenv("XR_BUILD") == NULL)
		setenv("XR_BUILD", dir, 1);
	if ((args = calloc((size_t)argc + 1, sizeof(*args))) == NULL)
		return 1;
	args[0] = script;
	for (i = 1; i < argc; i++)
		args[i] = argv[i];
	execv(script, args);
	fprintf(stderr, "xrctl: cannot run %s: %s\n", script, strerror(errno));
	free(args);
	return 1;
}
