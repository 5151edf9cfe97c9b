/*
 * loadgen: the reference load generator of echoack's bench suite; what one thread of C drives, to compare
 * `echoack bench` with on the same core.
 *
 *   loadgen [-a ADDR] (-p PORT [-U] | -u PATH) [-c N] [-s SIZE] [-q PIPELINE] [-w WARMUP_S] [-d DURATION_S]
 *           [-t TIMEOUT_MS]
 *
 * Closed loop against an echo server: N TCP connections to ADDR:PORT (ADDR defaults to 127.0.0.1), or N UDP
 * flows to it (-U: one connected socket each), or N Unix stream connections to PATH (-u). Each keeps PIPELINE
 * messages of SIZE bytes in flight and sends the next one when a reply has come back. Every reply is checked
 * byte for byte: on a stream, the bytes received must be the bytes sent; a datagram must be a datagram sent
 * (its first 8 bytes are its sequence number, the rest the message) and still waiting for its reply.
 * Replies that arrive during the first WARMUP_S seconds are not counted; then replies are counted for
 * DURATION_S seconds, and the program prints one JSON line on stdout and exits (0, or 1 when nothing could
 * connect). Errors are counted, never retried: a wrong reply, a stream the server closed or reset, a stream
 * with no reply for TIMEOUT_MS (default 2000) is closed; datagrams without a reply for TIMEOUT_MS count as
 * lost and the flow goes on.
 *
 * Level-triggered epoll, one thread, non-blocking sockets, no allocation after start-up. A stream connection
 * reads once per wake-up and then writes, in one send, a message for every reply that read completed; the
 * clock is read once per epoll_wait.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 4096
#define MAX_SIZE (1 << 20)
#define MAX_PIPELINE 1024
#define READ_BUF (64 * 1024)
#define SEQ_BYTES 8
#define WINDOW 2048 /* sequence numbers remembered per UDP flow: more than MAX_PIPELINE */
#define MAX_EVENTS 256

enum transport { TCP, UDP, UNIX };

struct conn {
    int fd;
    int open;
    uint64_t sent, received;   /* stream: bytes; UDP: datagrams sent, replies accepted */
    uint64_t unsent;           /* stream: bytes of messages due but not yet taken by the kernel */
    int in_flight;             /* messages sent (or due) without a reply yet */
    double last_progress;      /* when the last reply arrived, or the first message went out */
    unsigned char waiting[WINDOW]; /* UDP: 1 while the datagram with this sequence number (mod WINDOW) waits */
};

static struct {
    enum transport transport;
    int conns, size, pipeline;
    double warmup, duration, timeout;
} cfg = {TCP, 64, 64, 1, 1, 5, 2};

static struct conn *conns;
static int epfd;
static char *wire;          /* the message, repeated: what a stream sends and must get back */
static size_t wire_len;     /* a whole number of messages, at least READ_BUF + one message */
static char buf[READ_BUF]; /* what a stream connection reads */
static char dgram[MAX_SIZE]; /* the datagram sent: a sequence number, then the message's bytes after it */
static uint64_t counted, mismatch, closed, timeouts, lost, unexpected;
static int counting;        /* 1 while replies count: after the warm-up */

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what) {
    perror(what);
    exit(2);
}

static void usage(void) {
    fprintf(stderr, "usage: loadgen [-a ADDR] (-p PORT [-U] | -u PATH) [-c N] [-s SIZE] [-q PIPELINE] "
                    "[-w WARMUP_S] [-d DURATION_S] [-t TIMEOUT_MS]\n");
    exit(2);
}

static void close_conn(struct conn *c, uint64_t *counter, uint64_t n) {
    *counter += n ? n : 1; /* the messages it had in flight fail with it (or the failure counts once) */
    close(c->fd);
    c->open = 0;
    c->in_flight = 0;
}

/* Stream: writes the messages due; waits for EPOLLOUT while the kernel takes no more. */
static void stream_flush(struct conn *c) {
    while (c->unsent > 0) {
        size_t off = c->sent % (size_t)cfg.size;
        size_t len = wire_len - off < c->unsent ? wire_len - off : c->unsent;
        ssize_t n = send(c->fd, wire + off, len, MSG_NOSIGNAL);
        if (n > 0) {
            c->sent += (uint64_t)n;
            c->unsent -= (uint64_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
            epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
            return;
        } else {
            close_conn(c, &closed, (uint64_t)c->in_flight);
            return;
        }
    }
}

static void stream_readable(struct conn *c, double now) {
    ssize_t n = recv(c->fd, buf, sizeof buf, 0);
    if (n <= 0) {
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
        close_conn(c, &closed, (uint64_t)c->in_flight); /* end of input or reset */
        return;
    }
    uint64_t expected_end = c->sent; /* a reply to bytes not sent yet is wrong too */
    if (c->received + (uint64_t)n > expected_end) {
        close_conn(c, &mismatch, (uint64_t)c->in_flight);
        return;
    }
    /* Byte for byte: the n bytes must be the stream's bytes at this offset. */
    size_t off = c->received % (size_t)cfg.size, done = 0;
    while (done < (size_t)n) {
        size_t len = wire_len - off < (size_t)n - done ? wire_len - off : (size_t)n - done;
        if (memcmp(buf + done, wire + off, len) != 0) {
            close_conn(c, &mismatch, (uint64_t)c->in_flight);
            return;
        }
        done += len;
        off = 0;
    }
    uint64_t replies = (c->received + (uint64_t)n) / (uint64_t)cfg.size - c->received / (uint64_t)cfg.size;
    c->received += (uint64_t)n;
    if (replies == 0) return;
    c->last_progress = now;
    if (counting) counted += replies;
    int blocked = c->unsent > 0; /* waiting for EPOLLOUT, which writes these too */
    c->unsent += replies * (uint64_t)cfg.size; /* closed loop: one new message per reply */
    if (!blocked) stream_flush(c);
}

static void stream_writable(struct conn *c) {
    stream_flush(c);
    if (c->open && c->unsent == 0) {
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
    }
}

static void udp_send(struct conn *c) {
    uint64_t seq = c->sent;
    memcpy(dgram, &seq, SEQ_BYTES);
    if (send(c->fd, dgram, (size_t)cfg.size, 0) == (ssize_t)cfg.size) {
        c->waiting[seq % WINDOW] = 1;
        c->sent++;
        c->in_flight++;
    } else {
        lost++; /* the kernel refused it: counted, the next one goes out on the next reply or timeout */
    }
}

static void udp_readable(struct conn *c, double now) {
    static char in[MAX_SIZE];
    for (int i = 0; i < cfg.pipeline; i++) {
        ssize_t n = recv(c->fd, in, sizeof in, 0);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            if (errno == EINTR) continue;
            unexpected++; /* ICMP port unreachable of an earlier datagram */
            break;
        }
        uint64_t seq;
        memcpy(&seq, in, SEQ_BYTES);
        if (n != cfg.size || memcmp(in + SEQ_BYTES, dgram + SEQ_BYTES, (size_t)cfg.size - SEQ_BYTES) != 0) {
            mismatch++;
            continue;
        }
        if (seq >= c->sent || c->sent - seq > WINDOW || !c->waiting[seq % WINDOW]) {
            unexpected++; /* a duplicate, or the reply to a datagram already counted lost */
            continue;
        }
        c->waiting[seq % WINDOW] = 0;
        c->in_flight--;
        c->received++;
        c->last_progress = now;
        if (counting) counted++;
        udp_send(c);
    }
}

/* Datagrams waiting for TIMEOUT count as lost and are replaced (so are sends the kernel refused); a silent
 * stream is closed. */
static void expire(double now) {
    for (int i = 0; i < cfg.conns; i++) {
        struct conn *c = &conns[i];
        if (!c->open || now - c->last_progress < cfg.timeout) continue;
        if (cfg.transport != UDP) {
            if (c->in_flight > 0) close_conn(c, &timeouts, (uint64_t)c->in_flight);
            continue;
        }
        lost += (uint64_t)c->in_flight;
        memset(c->waiting, 0, sizeof c->waiting);
        c->in_flight = 0;
        c->last_progress = now;
        for (int k = 0; k < cfg.pipeline; k++) udp_send(c);
    }
}

static int connect_one(struct conn *c, const struct sockaddr *addr, socklen_t len) {
    int fd = socket(addr->sa_family, (cfg.transport == UDP ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    if (connect(fd, addr, len) < 0) { /* blocking, before the clock starts */
        perror("connect");
        close(fd);
        return -1;
    }
    int one = 1, rcvbuf = 1 << 20;
    if (cfg.transport == TCP) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (cfg.transport == UDP) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) die("fcntl");
    c->fd = fd;
    c->open = 1;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
    return 0;
}

static double seconds(const char *text) {
    char *end;
    double v = strtod(text, &end);
    if (*text == '\0' || *end != '\0' || !(v >= 0) || v > 86400) usage();
    return v;
}

static int whole(const char *text, int max) {
    char *end;
    long v = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || v < 1 || v > max) usage();
    return (int)v;
}

int main(int argc, char **argv) {
    const char *addr = "127.0.0.1", *path = NULL;
    int port = 0, opt;
    while ((opt = getopt(argc, argv, "a:p:Uu:c:s:q:w:d:t:h")) != -1) {
        switch (opt) {
        case 'a': addr = optarg; break;
        case 'p': port = whole(optarg, 65535); break;
        case 'U': cfg.transport = UDP; break;
        case 'u': path = optarg; cfg.transport = UNIX; break;
        case 'c': cfg.conns = whole(optarg, MAX_CONNS); break;
        case 's': cfg.size = whole(optarg, MAX_SIZE); break;
        case 'q': cfg.pipeline = whole(optarg, MAX_PIPELINE); break;
        case 'w': cfg.warmup = seconds(optarg); break;
        case 'd': cfg.duration = seconds(optarg); break;
        case 't': cfg.timeout = whole(optarg, 3600000) / 1000.0; break;
        default: usage();
        }
    }
    if (optind != argc || (port > 0) == (path != NULL) || (path && cfg.transport != UNIX) || cfg.duration <= 0)
        usage();
    if (cfg.transport == UDP && (cfg.size < SEQ_BYTES || cfg.size > 65507)) usage();
    signal(SIGPIPE, SIG_IGN);

    /* The message: printable bytes that do not repeat within 62, so a shifted stream does not compare equal. */
    static const char pattern[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    size_t messages = (READ_BUF + (size_t)cfg.size - 1) / (size_t)cfg.size + 1;
    wire_len = messages * (size_t)cfg.size;
    wire = malloc(wire_len);
    conns = calloc((size_t)cfg.conns, sizeof *conns);
    if (!wire || !conns) die("malloc");
    for (size_t i = 0; i < wire_len; i++) wire[i] = pattern[(i % (size_t)cfg.size) % (sizeof pattern - 1)];
    memcpy(dgram, wire, (size_t)cfg.size);

    struct sockaddr_storage ss = {0};
    socklen_t len;
    if (path) {
        struct sockaddr_un *un = (struct sockaddr_un *)&ss;
        if (strlen(path) >= sizeof un->sun_path) usage();
        un->sun_family = AF_UNIX;
        strcpy(un->sun_path, path);
        len = sizeof *un;
    } else {
        struct sockaddr_in *in = (struct sockaddr_in *)&ss;
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, addr, &in->sin_addr) != 1) usage();
        len = sizeof *in;
    }
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1");
    int connected = 0;
    for (int i = 0; i < cfg.conns; i++) connected += connect_one(&conns[i], (struct sockaddr *)&ss, len) == 0;
    if (connected == 0) return 1;

    double start = now_s(), measure_start = start + cfg.warmup, end = measure_start + cfg.duration;
    double counted_from = measure_start, counted_to = end, next_expiry = start + 0.1;
    for (int i = 0; i < cfg.conns; i++) {
        struct conn *c = &conns[i];
        if (!c->open) continue;
        c->last_progress = start;
        if (cfg.transport == UDP) {
            for (int k = 0; k < cfg.pipeline; k++) udp_send(c);
        } else {
            c->in_flight = cfg.pipeline;
            c->unsent = (uint64_t)cfg.pipeline * (uint64_t)cfg.size;
            stream_flush(c);
        }
    }
    counting = cfg.warmup <= 0;
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(epfd, events, MAX_EVENTS, 100);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        double now = now_s();
        if (now >= end) {
            counted_to = now;
            break;
        }
        if (!counting && now >= measure_start) {
            counting = 1;
            counted_from = now;
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (!c->open) continue; /* closed earlier in this batch */
            if (cfg.transport == UDP) {
                udp_readable(c, now);
            } else if (c->unsent > 0 && (events[i].events & EPOLLOUT)) {
                stream_writable(c);
            } else if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
                stream_readable(c, now);
            }
        }
        if (now >= next_expiry) {
            expire(now);
            next_expiry = now + 0.1;
        }
    }
    double span = counting ? counted_to - counted_from : 0;
    uint64_t errors = mismatch + closed + timeouts + lost + unexpected;
    static const char *names[] = {"tcp", "udp", "unix"};
    printf("{\"loadgen\":\"c\",\"transport\":\"%s\",\"connections\":%d,\"connected\":%d,\"size\":%d,\"pipeline\":%d,"
           "\"warmup_s\":%g,\"duration_s\":%.6f,\"messages\":%llu,\"msgs_per_s\":%.1f,"
           "\"errors\":{\"mismatch\":%llu,\"closed\":%llu,\"timeout\":%llu,\"lost\":%llu,\"unexpected\":%llu,"
           "\"total\":%llu}}\n",
           names[cfg.transport], cfg.conns, connected, cfg.size, cfg.pipeline, cfg.warmup, span,
           (unsigned long long)counted, span > 0 ? counted / span : 0.0, (unsigned long long)mismatch,
           (unsigned long long)closed, (unsigned long long)timeouts, (unsigned long long)lost,
           (unsigned long long)unexpected, (unsigned long long)errors);
    return 0;
}
