/*
 * process_* metrics with the names every Prometheus client library uses
 * (resident and virtual memory, CPU seconds, start time, file
 * descriptors), read from /proc/self. A value that cannot be read is left
 * out rather than reported as 0.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "metrics/mx.h"

static long
boot_time(void)
{
	char line[256];
	long bt = -1;
	FILE *f;

	if ((f = fopen("/proc/stat", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "btime %ld", &bt) == 1)
			break;
	fclose(f);
	return bt;
}

/* utime, stime (fields 14, 15) and starttime (22) of /proc/self/stat. */
static int
self_stat(unsigned long long *ut, unsigned long long *st,
    unsigned long long *start)
{
	char buf[1024], *p;
	size_t n;
	FILE *f;

	if ((f = fopen("/proc/self/stat", "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* the command name may hold spaces and parentheses: skip past the
	 * last ')' */
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	    "%llu %llu %*d %*d %*d %*d %*d %*d %llu", ut, st, start) != 3)
		return -1;
	return 0;
}

static long
open_fds(void)
{
	struct dirent *e;
	long n = 0;
	DIR *d;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;		/* the directory stream's own */
}

static void
memory(struct mx *m, long page)
{
	unsigned long long vsz, rss;
	FILE *f;
	int k;

	if ((f = fopen("/proc/self/statm", "r")) == NULL)
		return;
	k = fscanf(f, "%llu %llu", &vsz, &rss);
	fclose(f);
	if (k != 2)
		return;
	mx_family(m, "process_resident_memory_bytes", MX_GAUGE,
	    "Resident memory size in bytes.");
	mx_u64(m, rss * (unsigned long long)page, NULL);
	mx_family(m, "process_virtual_memory_bytes", MX_GAUGE,
	    "Virtual memory size in bytes.");
	mx_u64(m, vsz * (unsigned long long)page, NULL);
}

void
mx_process(struct mx *m)
{
	unsigned long long ut, st, start;
	long hz = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE), bt, n;
	struct rlimit rl;

	if (hz <= 0)
		hz = 100;
	memory(m, page > 0 ? page : 4096);
	if (self_stat(&ut, &st, &start) == 0) {
		mx_family(m, "process_cpu_seconds_total", MX_COUNTER,
		    "Total user and system CPU time spent in seconds.");
		mx_f64(m, (double)(ut + st) / (double)hz, NULL);
		if ((bt = boot_time()) > 0) {
			mx_family(m, "process_start_time_seconds", MX_GAUGE,
			    "Start time of the process since unix epoch in "
			    "seconds.");
			mx_f64(m, (double)bt + (double)start / (double)hz,
			    NULL);
		}
	}
	if ((n = open_fds()) >= 0) {
		mx_family(m, "process_open_fds", MX_GAUGE,
		    "Number of open file descriptors.");
		mx_u64(m, (uint64_t)n, NULL);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		mx_family(m, "process_max_fds", MX_GAUGE,
		    "Maximum number of open file descriptors.");
		mx_u64(m, (uint64_t)rl.rlim_cur, NULL);
	}
}
