/*
 * Print docs/errors.md from the error catalogue (src/er/er_errors.h):
 *   build/tests/tools/er_errdoc > docs/errors.md
 * tests/unit/test_er.c checks that the committed file is current.
 */
#include <stdio.h>
#include <string.h>

#include "er/er.h"

static void
cell(const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", stdout);
		else
			putchar(*s);
	}
}

int
main(void)
{
	const char *name, *code, *fmt;
	int status;

	puts("# xroute API error catalogue\n");
	puts("Every error the control plane answers, generated from "
	    "`src/er/er_errors.h`\n(`build/tests/tools/er_errdoc > "
	    "docs/errors.md`). The body is always ARM's\n"
	    "`{\"error\":{\"code\":\"<Code>\",\"message\":\"<message>\"}}`. "
	    "In the messages, `%s` and\n`%lld` stand for the value named in "
	    "the text (a name, id, prefix, number).\n");
	puts("Texts quoted by users from Azure are reproduced word for word "
	    "(O365\nauthorization, Office365 Premium, gateway mode "
	    "DedicatedCircuit, gateway\nprovisioning status, BGP Peering not "
	    "found, community colon, custom routes on\nExpressRoute "
	    "gateways). Where Azure's wording is not known, the message names "
	    "the\nvalue and what is allowed.\n");
	puts("| Id | HTTP | Code | Message |");
	puts("|---|---|---|---|");
	for (size_t i = 0; i < er_err_count(); i++) {
		er_err_entry(i, &name, &status, &code, &fmt);
		printf("| %s | %d | %s | ", name, status, code);
		cell(fmt);
		puts(" |");
	}
	return 0;
}
