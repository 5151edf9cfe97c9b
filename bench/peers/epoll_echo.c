/*
 * epoll_echo: the reference peer of echoack's bench suite; a small single-threaded epoll echo server.
 *
 *   epoll_echo [-a ADDR] [-p PORT] [-u PATH]
 *
 * Serves RFC 862 echo on TCP ADDR:PORT and UDP ADDR:PORT (when -p is given) and on a Unix stream socket
 * at PATH (when -u is given); ADDR defaults to 127.0.0.1. Stream bytes are written back as they arrive.
 * When a write is partial, the rest is kept in a per-connection buffer, the connection waits for
 * EPOLLOUT and is not read until that buffer has drained, so memory stays bounded by one read per
 * connection. A datagram is answered with one datagram to its sender; a reply the kernel cannot take
 * right now (EAGAIN) is dropped, as UDP allows.
 *
 * Level-triggered epoll, one thread, no allocation on the hot path. Prints one "listening on ..." line
 * per socket on stderr once everything is bound, and exits 0 on SIGTERM or SIGINT (removing PATH).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define READ_BUF (64 * 1024)
#define MAX_EVENTS 256
#define UDP_BATCH 64 /* datagrams served per wake-up before other sockets get their turn */

enum kind { TCP_LISTENER, UNIX_LISTENER, UDP_SOCKET, STREAM_CONN };

struct conn {
    enum kind kind;
    int fd;
    char *pending; /* unwritten rest of the last read; NULL when everything was written */
    size_t pending_off, pending_len;
};

static volatile sig_atomic_t stop;
static int epfd;
static char buf[READ_BUF];
static const char *unix_path;

static void on_signal(int sig) { (void)sig; stop = 1; }

static void die(const char *what) {
    perror(what);
    if (unix_path) unlink(unix_path);
    exit(1);
}

static struct conn *new_conn(enum kind kind, int fd) {
    struct conn *c = calloc(1, sizeof *c);
    if (!c) die("calloc");
    c->kind = kind;
    c->fd = fd;
    return c;
}

static void watch(struct conn *c, int op, unsigned events) {
    struct epoll_event ev = {.events = events, .data.ptr = c};
    if (epoll_ctl(epfd, op, c->fd, &ev) < 0) die("epoll_ctl");
}

static void close_conn(struct conn *c) {
    close(c->fd); /* also removes it from the epoll set */
    free(c->pending);
    free(c);
}

/* Writes as much of data as the socket takes; keeps the rest and switches to EPOLLOUT. 0 = alive. */
static int send_or_keep(struct conn *c, const char *data, size_t len) {
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(c->fd, data + off, len - off, MSG_NOSIGNAL);
        if (n > 0) {
            off += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            c->pending = malloc(len - off);
            if (!c->pending) die("malloc");
            memcpy(c->pending, data + off, len - off);
            c->pending_off = 0;
            c->pending_len = len - off;
            watch(c, EPOLL_CTL_MOD, EPOLLOUT); /* stop reading until the rest is out */
            return 0;
        } else {
            return -1;
        }
    }
    return 0;
}

static void on_stream_readable(struct conn *c) {
    /* One read per wake-up keeps connections fair; level-triggered epoll brings us back for more. */
    ssize_t n = recv(c->fd, buf, sizeof buf, 0);
    if (n > 0) {
        if (send_or_keep(c, buf, (size_t)n) < 0) close_conn(c);
    } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        close_conn(c); /* end of input or reset: nothing more can be echoed */
    }
}

static void on_stream_writable(struct conn *c) {
    while (c->pending_off < c->pending_len) {
        ssize_t n = send(c->fd, c->pending + c->pending_off, c->pending_len - c->pending_off, MSG_NOSIGNAL);
        if (n > 0) {
            c->pending_off += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        } else {
            close_conn(c);
            return;
        }
    }
    free(c->pending);
    c->pending = NULL;
    watch(c, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP);
}

static void on_acceptable(struct conn *listener) {
    for (;;) {
        int fd = accept4(listener->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) perror("accept4"); /* e.g. EMFILE: try later */
            return;
        }
        if (listener->kind == TCP_LISTENER) {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        }
        watch(new_conn(STREAM_CONN, fd), EPOLL_CTL_ADD, EPOLLIN | EPOLLRDHUP);
    }
}

static void on_datagram(struct conn *c) {
    for (int i = 0; i < UDP_BATCH; i++) {
        struct sockaddr_storage from;
        socklen_t fromlen = sizeof from;
        ssize_t n = recvfrom(c->fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen);
        if (n < 0) {
            if (errno == EINTR) continue;
            return; /* EAGAIN, or an ICMP error of an earlier reply: nothing to answer */
        }
        sendto(c->fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fromlen); /* EAGAIN: dropped */
    }
}

static int bound_socket(int domain, int type, const struct sockaddr *addr, socklen_t len) {
    int fd = socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    int one = 1;
    if (domain != AF_UNIX) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, addr, len) < 0) die("bind");
    if (type == SOCK_STREAM && listen(fd, SOMAXCONN) < 0) die("listen");
    return fd;
}

static void usage(void) {
    fprintf(stderr, "usage: epoll_echo [-a ADDR] [-p PORT] [-u PATH]\n");
    exit(2);
}

int main(int argc, char **argv) {
    const char *addr = "127.0.0.1";
    int port = 0, opt;
    while ((opt = getopt(argc, argv, "a:p:u:h")) != -1) {
        switch (opt) {
        case 'a': addr = optarg; break;
        case 'p': port = atoi(optarg); break;
        case 'u': unix_path = optarg; break;
        default: usage();
        }
    }
    if (optind != argc || (port <= 0 && !unix_path) || port > 65535) usage();

    struct rlimit rl; /* as many connections as the hard limit allows */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1");

    if (port > 0) {
        struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
        if (inet_pton(AF_INET, addr, &in.sin_addr) != 1) usage();
        int tcp = bound_socket(AF_INET, SOCK_STREAM, (struct sockaddr *)&in, sizeof in);
        watch(new_conn(TCP_LISTENER, tcp), EPOLL_CTL_ADD, EPOLLIN);
        int udp = bound_socket(AF_INET, SOCK_DGRAM, (struct sockaddr *)&in, sizeof in);
        watch(new_conn(UDP_SOCKET, udp), EPOLL_CTL_ADD, EPOLLIN);
        fprintf(stderr, "listening on tcp://%s:%d\nlistening on udp://%s:%d\n", addr, port, addr, port);
    }
    if (unix_path) {
        struct sockaddr_un un = {.sun_family = AF_UNIX};
        if (strlen(unix_path) >= sizeof un.sun_path) usage();
        strcpy(un.sun_path, unix_path);
        unlink(unix_path);
        int ux = bound_socket(AF_UNIX, SOCK_STREAM, (struct sockaddr *)&un, sizeof un);
        watch(new_conn(UNIX_LISTENER, ux), EPOLL_CTL_ADD, EPOLLIN);
        fprintf(stderr, "listening on unix://%s\n", unix_path);
    }

    struct epoll_event events[MAX_EVENTS];
    while (!stop) {
        int n = epoll_wait(epfd, events, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            unsigned ev = events[i].events;
            switch (c->kind) {
            case TCP_LISTENER:
            case UNIX_LISTENER: on_acceptable(c); break;
            case UDP_SOCKET: on_datagram(c); break;
            case STREAM_CONN:
                if (c->pending) {
                    if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP)) on_stream_writable(c);
                } else if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) {
                    on_stream_readable(c);
                }
                break;
            }
        }
    }
    if (unix_path) unlink(unix_path);
    return 0;
}
