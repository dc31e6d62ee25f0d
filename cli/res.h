/*
 * xrctl resource commands (az network express-route style) talking HTTP
 * to the API role. res_main() receives xrctl's complete argv (argv[0] is
 * the program name; global options -j and -s may precede the command
 * group), as cli/xrctl.h specifies; it returns the exit status.
 */
#ifndef XR_CLI_RES_H
#define XR_CLI_RES_H

#include <jansson.h>
#include <stdbool.h>

int	res_main(int argc, char **argv);

/* --- options (res_main.c) --- */
struct res_opts;
const char	*opt(struct res_opts *, const char *name);
bool		 opt_flag(struct res_opts *, const char *name);

/* --- HTTP (res_http.c) --- */
struct res_http_resp {
	int	 status;
	json_t	*body;
	char	 async_op[1024];	/* path of Azure-AsyncOperation */
	char	 location[1024];	/* path of Location */
};
/* -1 when the server cannot be reached (message printed). */
int	res_http(const char *api, const char *token, const char *method,
	    const char *path, json_t *body, struct res_http_resp *);

/* --- output (res_out.c) --- */
void	res_print_json(json_t *);
void	res_print_circuit_ps(json_t *);
void	res_print_peering_ps(json_t *);
/* One session status object (primaryStatus, ...) as one line. */
void	res_session_line(json_t *status, char *out, size_t len);
void	res_print_table(json_t *list, const char *const *cols,
	    const char *const *paths);
int	res_print_error(const struct res_http_resp *);

#endif
