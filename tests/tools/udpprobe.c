/*
 * udpprobe: measure traffic loss across a failover.
 *
 *   udpprobe send DST PORT [-i INTERVAL_MS] [-c COUNT] [-t SECONDS]
 *   udpprobe recv PORT [-t SECONDS] [-q QUIET_MS] [-n EXPECT]
 *
 * The sender emits small UDP packets carrying a sequence number and its
 * monotonic send time, one every INTERVAL_MS (default 5). The receiver
 * counts them and, when the sender's stream stops (no packet for QUIET_MS
 * after the last one, or after SECONDS), prints one JSON line:
 *
 *   {"received":N,"lost":N,"reordered":N,"duplicates":N,"firstSeq":N,
 *    "lastSeq":N,"longestGapMs":F,"lossMs":F}
 *
 * lossMs is lost packets x interval: the time the path carried nothing.
 * longestGapMs is the widest arrival gap, the outage as a user feels it.
 * Everything is bounded by -t; nothing runs forever.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct probe_pkt {
	uint32_t	magic;
	uint32_t	interval_us;
	uint64_t	seq;
	uint64_t	sent_us;
};
#define PROBE_MAGIC	0x78727062	/* "xrpb" */

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: udpprobe send DST PORT [-i INTERVAL_MS] [-c COUNT] "
	    "[-t SECONDS]\n"
	    "       udpprobe recv PORT [-t SECONDS] [-q QUIET_MS] "
	    "[-n EXPECT]\n");
	exit(64);
}

static int
resolve(const char *host, const char *port, int passive,
    struct sockaddr_storage *ss, socklen_t *sl)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
	    .ai_flags = passive ? AI_PASSIVE : 0 }, *res;

	if (getaddrinfo(host, port, &hints, &res) != 0)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sl = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static int
do_send(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	double interval_ms = 5, secs = 10;
	uint64_t count = 0, seq, start, next;
	int fd, c;

	if (argc < 3)
		usage();
	optind = 3;
	while ((c = getopt(argc, argv, "i:c:t:")) != -1) {
		switch (c) {
		case 'i': interval_ms = atof(optarg); break;
		case 'c': count = strtoull(optarg, NULL, 10); break;
		case 't': secs = atof(optarg); break;
		default: usage();
		}
	}
	if (interval_ms <= 0 || secs <= 0)
		usage();
	if (resolve(argv[1], argv[2], 0, &ss, &sl) == -1) {
		fprintf(stderr, "udpprobe: cannot resolve %s\n", argv[1]);
		return 1;
	}
	if ((fd = socket(ss.ss_family, SOCK_DGRAM, 0)) == -1) {
		perror("udpprobe: socket");
		return 1;
	}
	start = next = now_us();
	for (seq = 0; count == 0 || seq < count; seq++) {
		struct probe_pkt p = { htonl(PROBE_MAGIC),
		    htonl((uint32_t)(interval_ms * 1000)), seq, now_us() };
		uint64_t t;

		if (now_us() - start > (uint64_t)(secs * 1e6))
			break;
		/* A dead route gives ENETUNREACH: that is loss, keep going. */
		(void)sendto(fd, &p, sizeof(p), 0, (struct sockaddr *)&ss, sl);
		next += (uint64_t)(interval_ms * 1000);
		if ((t = now_us()) < next)
			usleep((useconds_t)(next - t));
	}
	printf("{\"sent\":%llu}\n", (unsigned long long)seq);
	close(fd);
	return 0;
}

static int
do_recv(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	double secs = 30, quiet_ms = 500;
	uint64_t expect = 0, received = 0, dup = 0, reord = 0;
	uint64_t first = UINT64_MAX, last = 0, high = 0, gap = 0, last_rx = 0;
	uint64_t start, interval_us = 5000;
	uint8_t *seen = NULL;
	size_t seen_cap = 0;
	int fd, c;

	if (argc < 2)
		usage();
	optind = 2;
	while ((c = getopt(argc, argv, "t:q:n:")) != -1) {
		switch (c) {
		case 't': secs = atof(optarg); break;
		case 'q': quiet_ms = atof(optarg); break;
		case 'n': expect = strtoull(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (resolve(NULL, argv[1], 1, &ss, &sl) == -1 ||
	    (fd = socket(ss.ss_family, SOCK_DGRAM, 0)) == -1) {
		perror("udpprobe: socket");
		return 1;
	}
	/* No SO_REUSEADDR: a stale receiver must make this bind fail. */
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1) {
		perror("udpprobe: bind");
		return 1;
	}
	printf("{\"listening\":%s}\n", argv[1]);
	fflush(stdout);
	start = now_us();
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		struct probe_pkt p;
		uint64_t t = now_us(), budget = (uint64_t)(secs * 1e6);
		int wait_ms;

		if (t - start >= budget)
			break;
		if (received > 0 && t - last_rx >= (uint64_t)(quiet_ms * 1000))
			break;
		if (expect && received >= expect)
			break;
		wait_ms = (int)((budget - (t - start)) / 1000);
		if (received > 0 && wait_ms > (int)quiet_ms)
			wait_ms = (int)quiet_ms;
		if (poll(&pfd, 1, wait_ms < 1 ? 1 : wait_ms) <= 0)
			continue;
		if (recv(fd, &p, sizeof(p), 0) != sizeof(p) ||
		    ntohl(p.magic) != PROBE_MAGIC)
			continue;
		t = now_us();
		interval_us = ntohl(p.interval_us);
		if (p.seq >= seen_cap) {
			size_t ncap = seen_cap ? seen_cap : 4096;
			while (ncap <= p.seq)
				ncap *= 2;
			if (ncap > (1u << 24))
				continue;	/* absurd sequence number */
			seen = realloc(seen, ncap);
			memset(seen + seen_cap, 0, ncap - seen_cap);
			seen_cap = ncap;
		}
		if (seen[p.seq]) {
			dup++;
			continue;
		}
		seen[p.seq] = 1;
		if (received > 0 && p.seq < high)
			reord++;
		if (received > 0 && t - last_rx > gap)
			gap = t - last_rx;
		if (p.seq < first)
			first = p.seq;
		if (p.seq > high)
			high = p.seq;
		last = p.seq;
		last_rx = t;
		received++;
	}
	{
		uint64_t span = received ? high - first + 1 : 0;
		uint64_t lost = span - (received > span ? span : received);

		printf("{\"received\":%llu,\"lost\":%llu,\"reordered\":%llu,"
		    "\"duplicates\":%llu,\"firstSeq\":%llu,\"lastSeq\":%llu,"
		    "\"longestGapMs\":%.1f,\"lossMs\":%.1f}\n",
		    (unsigned long long)received, (unsigned long long)lost,
		    (unsigned long long)reord, (unsigned long long)dup,
		    (unsigned long long)(received ? first : 0),
		    (unsigned long long)last, gap / 1000.0,
		    lost * interval_us / 1000.0);
	}
	free(seen);
	close(fd);
	return received > 0 ? 0 : 2;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "send") == 0)
		return do_send(argc - 1, argv + 1);
	if (strcmp(argv[1], "recv") == 0)
		return do_recv(argc - 1, argv + 1);
	usage();
	return 64;
}
