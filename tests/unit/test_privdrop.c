/*
 * Privilege drop: in a child process, drop from root to 'nobody' keeping
 * CAP_NET_ADMIN and CAP_NET_BIND_SERVICE, then check the uid, the exact
 * effective capability set, and that root-only operations now fail.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "daemon/privdrop.h"

static void
test_drop_keeps_only_net_caps(void)
{
	int pfd[2];
	pid_t pid;
	uint64_t res[3] = { 0 };

	if (geteuid() != 0) {
		printf("ok - test_drop_keeps_only_net_caps # SKIP needs root\n");
		return;
	}
	T_EQ(pipe(pfd), 0);
	if ((pid = fork()) == 0) {
		char err[128];
		uint64_t out[3];

		close(pfd[0]);
		out[0] = (uint64_t)priv_drop("nobody", NULL,
		    PRIV_KEEP_DEFAULT, err, sizeof(err));
		out[1] = priv_cap_effective();
		/* after the drop, /etc/shadow is not readable */
		out[2] = (uint64_t)(open("/etc/shadow", O_RDONLY) == -1) |
		    (uint64_t)(getuid() != 0) << 1;
		if (write(pfd[1], out, sizeof(out)) != sizeof(out))
			_exit(2);
		_exit(0);
	}
	close(pfd[1]);
	T_EQ(read(pfd[0], res, sizeof(res)), (long)sizeof(res));
	close(pfd[0]);
	waitpid(pid, NULL, 0);
	T_EQ(res[0], 0);
	T_EQ(res[1], (long long)PRIV_KEEP_DEFAULT);
	T_EQ(res[2], 3);
}

static void
test_unknown_user_is_an_error(void)
{
	char err[128] = "";

	T_EQ(priv_drop("no-such-user-xr", NULL, 0, err, sizeof(err)), -1);
	T_STREQ(err, "user 'no-such-user-xr' does not exist");
}

int
main(void)
{
	T_RUN(test_drop_keeps_only_net_caps);
	T_RUN(test_unknown_user_is_an_error);
	return t_done();
}
