/*
 * measure.c — runs one command and prints "WALL_SECONDS PEAK_RSS_KIB STATUS"
 * on stdout: wall time from fork to exit (CLOCK_MONOTONIC, microseconds),
 * the peak resident set of the largest process in the command's tree
 * (getrusage(RUSAGE_CHILDREN), which covers every descendant that was
 * waited for), and the exit status (128+N for a signal).
 *
 *   measure [-C DIR] [-i STDIN] [-o STDOUT] [-e STDERR] -- COMMAND [ARG...]
 *
 * STDIN defaults to /dev/null, STDOUT and STDERR to /dev/null. Built by
 * bench/run into its scratch directory; part of the benchmark, not of ladder.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void redirect(const char *path, int fd, int flags)
{
	int f = open(path, flags, 0644);
	if (f < 0) {
		fprintf(stderr, "measure: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	if (f != fd) {
		dup2(f, fd);
		close(f);
	}
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *in = "/dev/null", *out = "/dev/null",
		   *err = "/dev/null";
	int opt;
	while ((opt = getopt(argc, argv, "+C:i:o:e:")) != -1) {
		switch (opt) {
		case 'C': dir = optarg; break;
		case 'i': in = optarg; break;
		case 'o': out = optarg; break;
		case 'e': err = optarg; break;
		default:
			fprintf(stderr,
				"usage: measure [-C DIR] [-i IN] [-o OUT] "
				"[-e ERR] -- COMMAND [ARG...]\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "measure: no command\n");
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("measure: fork");
		return 2;
	}
	if (pid == 0) {
		if (dir && chdir(dir) != 0) {
			fprintf(stderr, "measure: %s: %s\n", dir,
				strerror(errno));
			_exit(127);
		}
		redirect(in, 0, O_RDONLY);
		redirect(out, 1, O_WRONLY | O_CREAT | O_TRUNC);
		redirect(err, 2, O_WRONLY | O_CREAT | O_TRUNC);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "measure: %s: %s\n", argv[optind],
			strerror(errno));
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("measure: waitpid");
			return 2;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	double wall = (double)(t1.tv_sec - t0.tv_sec) +
		      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	int code = WIFEXITED(status) ? WEXITSTATUS(status)
				     : 128 + WTERMSIG(status);
	printf("%.6f %ld %d\n", wall, ru.ru_maxrss, code);
	return 0;
}
