/*
 * libFuzzer target for the untrusted parts of an API request that xroute
 * parses itself: the ARM path (er_path_parse) and the strict schema check
 * of a JSON body against every resource type's field table. The first byte
 * selects the path parser (odd) or the resource type (even); the rest is
 * the path or the JSON text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "er/er_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct er_rtype *const *rts = er_rtypes();
	struct er_path p;
	struct er_err err;
	json_t *body;
	char *s;
	size_t n = 0;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		if ((s = malloc(size)) == NULL)
			return 0;
		memcpy(s, data + 1, size - 1);
		s[size - 1] = '\0';
		er_path_parse(s, &p);
		free(s);
		return 0;
	}
	while (rts[n] != NULL)
		n++;
	body = json_loadb((const char *)data + 1, size - 1,
	    JSON_REJECT_DUPLICATES, NULL);
	if (body != NULL && rts[(data[0] >> 1) % n]->schema != NULL) {
		er_schema_check(rts[(data[0] >> 1) % n]->schema, body, "", &err);
		er_schema_strip_wo(rts[(data[0] >> 1) % n]->schema, body);
	}
	json_decref(body);
	return 0;
}
