/*
 * bgpblast's command line and JSON report. Included by bgpblast.c only.
 */
#ifndef XR_BENCH_BLAST_CLI_H
#define XR_BENCH_BLAST_CLI_H

static void
report(void)
{
	size_t bytes = 0, inj_rx = 0;
	long msgs = 0;
	int i, n = 0;

	for (i = 0; i < B.ns; i++)
		if (B.s[i].role == R_INJECT) {
			bytes += B.s[i].ann.len;
			msgs += B.s[i].ann_msgs;
			inj_rx += B.s[i].ann_rx + B.s[i].foreign;
		}
	printf("{\"ok\":%s,\"error\":", B.rc == 0 ? "true" : "false");
	if (B.rc == 0)
		printf("null");
	else
		printf("\"%s\"", B.err);	/* our text: no quotes */
	printf(",\"phase\":\"%s\",\"prefixes\":%zu,\"attrSets\":%u,"
	    "\"injectors\":%d,\"sinks\":%d,\"replicate\":%s,"
	    "\"updatesSent\":%ld,\"bytesSent\":%zu,"
	    "\"injectorPrefixesReceived\":%zu,"
	    "\"connectSeconds\":%.3f,\"announce\":{\"seconds\":%.3f,"
	    "\"injectSeconds\":%.3f},\"withdraw\":{\"seconds\":%.3f,"
	    "\"injectSeconds\":%.3f},\"sinkStats\":[",
	    phase_name[B.phase], B.n, B.nsets, B.ninj, B.nsink,
	    B.replicate ? "true" : "false", msgs, bytes, inj_rx,
	    secs(B.t_begin, B.t_estab), secs(B.t_ann, B.t_ann_done),
	    secs(B.t_ann, B.t_ann_w), secs(B.t_wd, B.t_wd_done),
	    secs(B.t_wd, B.t_wd_w));
	for (i = 0; i < B.ns; i++) {
		struct sess *s = &B.s[i];

		if (s->role != R_SINK)
			continue;
		printf("%s{\"have\":%zu,\"announced\":%zu,\"withdrawn\":%zu,"
		    "\"duplicates\":%zu,\"foreign\":%zu,\"updates\":%zu,"
		    "\"badPaths\":%zu,"
		    "\"firstSeconds\":%.3f,\"fullSeconds\":%.3f,"
		    "\"emptySeconds\":%.3f}", n++ ? "," : "", s->have,
		    s->ann_rx, s->wd_rx, s->dup, s->foreign, s->upd_rx,
		    s->bad_path,
		    secs(B.t_ann, s->t_first), secs(B.t_ann, s->t_full),
		    secs(B.t_wd, s->t_empty));
	}
	printf("]}\n");
	fflush(stdout);
}

/* ---- command line ---- */

static int
parse_count(const char *s, size_t *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s)
		return -1;
	if (*end == 'k' || *end == 'K')
		v *= 1e3, end++;
	else if (*end == 'm' || *end == 'M')
		v *= 1e6, end++;
	if (*end != '\0' || v < 0 || v > 16e6)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int
parse_hostport(const char *v, struct addr *a, uint16_t *port)
{
	char buf[64], *c;
	unsigned long p;

	snprintf(buf, sizeof(buf), "%s", v);
	if ((c = strrchr(buf, ':')) == NULL)
		return -1;
	*c++ = '\0';
	p = strtoul(c, NULL, 10);
	if (p == 0 || p > 65535 || addr_parse(buf, a) == -1 ||
	    a->af != AF_INET)
		return -1;
	*port = (uint16_t)p;
	return 0;
}

static int
parse_session(struct sess *s, char *spec)
{
	char *tok, *save = NULL;
	bool where = false;

	tok = strtok_r(spec, ",", &save);
	if (tok == NULL || (strcmp(tok, "inject") && strcmp(tok, "sink")))
		return -1;
	s->role = strcmp(tok, "inject") == 0 ? R_INJECT : R_SINK;
	s->las = s->role == R_INJECT ? 65001 : 65002;
	while ((tok = strtok_r(NULL, ",", &save)) != NULL) {
		char *v = strchr(tok, '=');

		if (v == NULL)
			return -1;
		*v++ = '\0';
		if (!strcmp(tok, "connect") || !strcmp(tok, "listen")) {
			s->listen = tok[0] == 'l';
			if (parse_hostport(v, &s->remote, &s->port) == -1)
				return -1;
			where = true;
		} else if (!strcmp(tok, "local")) {
			if (addr_parse(v, &s->local) == -1 ||
			    s->local.af != AF_INET)
				return -1;
		} else if (!strcmp(tok, "as"))
			s->las = (uint32_t)strtoul(v, NULL, 10);
		else if (!strcmp(tok, "peer-as"))
			s->want_as = (uint32_t)strtoul(v, NULL, 10);
		else
			return -1;
	}
	return where && s->las != 0 ? 0 : -1;
}

#endif
