/*
 * idle_conns: opens N idle TCP connections to a server and holds them, for the bench suite's
 * "RSS with 10,000 idle connections" measurement.
 *
 *   idle_conns [-a ADDR] -p PORT -n N [-t SECONDS] [-c IN_FLIGHT]
 *
 * Connects non-blockingly with at most IN_FLIGHT (default 256) handshakes outstanding, so that the
 * server's accept queue never overflows; gives up on whatever is not connected after SECONDS (default
 * 30). Then prints one line on stdout, "connected C failed F in S s", and holds the connections open,
 * sending nothing, until SIGTERM or SIGINT. On exit it prints on stderr how many
 * connections the server closed while they were held (an idle timeout would show up there).
 * The soft fd limit is raised to the hard one; N beyond what that allows is reported as failed.
 * Connections end with a reset (SO_LINGER 0), so that they leave no TIME_WAIT behind to use up the
 * ephemeral ports of the scenarios that follow.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void) {
    fprintf(stderr, "usage: idle_conns [-a ADDR] -p PORT -n N [-t SECONDS] [-c IN_FLIGHT]\n");
    exit(2);
}

int main(int argc, char **argv) {
    const char *addr = "127.0.0.1";
    int port = 0, n = 0, in_flight_max = 256, opt;
    double timeout = 30;
    while ((opt = getopt(argc, argv, "a:p:n:t:c:h")) != -1) {
        switch (opt) {
        case 'a': addr = optarg; break;
        case 'p': port = atoi(optarg); break;
        case 'n': n = atoi(optarg); break;
        case 't': timeout = atof(optarg); break;
        case 'c': in_flight_max = atoi(optarg); break;
        default: usage();
        }
    }
    if (port <= 0 || port > 65535 || n <= 0 || in_flight_max <= 0 || timeout <= 0) usage();
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, addr, &to.sin_addr) != 1) usage();

    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) { perror("epoll_create1"); return 1; }
    int started = 0, connected = 0, failed = 0, in_flight = 0;
    double t0 = now(), deadline = t0 + timeout;
    struct epoll_event events[256];

    while (!stop && connected + failed < n && now() < deadline) {
        while (started < n && in_flight < in_flight_max) {
            started++;
            int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) { failed++; continue; } /* out of fds: the rest fail the same way */
            struct linger abort_on_close = {.l_onoff = 1, .l_linger = 0};
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
            if (connect(fd, (struct sockaddr *)&to, sizeof to) == 0) {
                connected++;
                struct epoll_event ev = {.events = EPOLLRDHUP, .data.fd = fd};
                epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
            } else if (errno == EINPROGRESS) {
                in_flight++;
                struct epoll_event ev = {.events = EPOLLOUT | EPOLLRDHUP, .data.fd = fd};
                epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
            } else {
                failed++;
                close(fd);
            }
        }
        int ready = epoll_wait(ep, events, 256, 100);
        for (int i = 0; i < ready; i++) {
            int fd = events[i].data.fd, err = 0;
            socklen_t len = sizeof err;
            if (!(events[i].events & EPOLLOUT)) continue; /* an established one closed: counted at exit */
            in_flight--;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err == 0 && !(events[i].events & (EPOLLERR | EPOLLHUP))) {
                connected++;
                struct epoll_event ev = {.events = EPOLLRDHUP, .data.fd = fd}; /* now only watch for close */
                epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
            } else {
                failed++;
                close(fd); /* also leaves the epoll set */
            }
        }
    }
    failed = n - connected; /* whatever did not connect in time counts as failed */
    printf("connected %d failed %d in %.1f s\n", connected, failed, now() - t0);
    fflush(stdout);

    int closed_by_peer = 0;
    while (!stop) {
        int ready = epoll_wait(ep, events, 256, 100);
        for (int i = 0; i < ready; i++) {
            if (events[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
                closed_by_peer++;
                close(events[i].data.fd);
            }
        }
    }
    fprintf(stderr, "idle_conns: %d of %d connections closed by the server while held\n", closed_by_peer, connected);
    return 0;
}
