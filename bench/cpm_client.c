/*
 * cpm_client: a connection per message, N times in a row, as cheaply as a client can: socket, connect,
 * write 64 bytes, read 64 bytes back, close. For measuring what a server spends per connection ("Cost of
 * a connection" in bench/README.md) with a client that costs next to nothing itself: the server's CPU time
 * and syscalls over N connections, divided by N, then move less with the load generator than with
 * `echoack bench --connect-per-message`.
 *
 *   cpm_client [-a ADDR] -p PORT -n N
 *
 * Exits 0 when every reply came back whole, 1 (saying how many did not) otherwise, 2 on bad usage.
 * The client closes first, so the TIME_WAIT states are the client's (Linux reuses them on loopback).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    const char *addr = "127.0.0.1";
    long port = -1, n = -1;
    int opt;
    while ((opt = getopt(argc, argv, "a:p:n:")) != -1) {
        switch (opt) {
            case 'a': addr = optarg; break;
            case 'p': port = strtol(optarg, NULL, 10); break;
            case 'n': n = strtol(optarg, NULL, 10); break;
            default: goto usage;
        }
    }
    if (port <= 0 || port > 65535 || n < 0) goto usage;
    struct sockaddr_in server;
    memset(&server, 0, sizeof server);
    server.sin_family = AF_INET;
    server.sin_port = htons((unsigned short) port);
    if (inet_pton(AF_INET, addr, &server.sin_addr) != 1) {
        fprintf(stderr, "cpm_client: not an IPv4 address: %s\n", addr);
        return 2;
    }
    char message[64], reply[64];
    memset(message, 'x', sizeof message);
    long bad = 0;
    for (long i = 0; i < n; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *) &server, sizeof server) < 0) {
            perror("cpm_client: connect");
            return 1;
        }
        size_t got = 0;
        if (write(fd, message, sizeof message) == (ssize_t) sizeof message) {
            ssize_t r;
            while (got < sizeof reply && (r = read(fd, reply + got, sizeof reply - got)) > 0) got += (size_t) r;
        }
        if (got != sizeof reply || memcmp(message, reply, sizeof reply) != 0) bad++;
        close(fd);
    }
    if (bad) {
        fprintf(stderr, "cpm_client: %ld of %ld replies missing or wrong\n", bad, n);
        return 1;
    }
    return 0;
usage:
    fprintf(stderr, "usage: cpm_client [-a ADDR] -p PORT -n N\n");
    return 2;
}
