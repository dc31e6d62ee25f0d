/*
 * xrctl: the operator's command line. Control-socket commands (show,
 * neighbor, reload, help) are handled in xrctl.c; every other command
 * (resource commands: circuit, peering, ...) goes to res_main(), built
 * in by another module when present. A weak declaration keeps xrctl
 * linking without it.
 *
 * res_main() receives xrctl's complete, untouched argc/argv (argv[0] is
 * the program name; global options such as -s or -j are still in place)
 * and returns the exit status.
 */
#ifndef XR_CLI_XRCTL_H
#define XR_CLI_XRCTL_H

int	res_main(int argc, char **argv) __attribute__((weak));
/* lab_cmd.c: "xrctl lab ..." runs lab/lab.sh (argv[0] is "lab"). */
int	lab_cmd(int argc, char **argv);

#endif
