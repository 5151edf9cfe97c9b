/*
 * tutorial_udp_client.c - the tutorial's datagram client: prompt for one line, send it in one datagram
 * with sendto, wait for one reply datagram with recvfrom, print it.
 *
 * Usage: tutorial_udp_client hostname port
 *
 * Unlike the tutorial, recvfrom gives up after 5 seconds (SO_RCVTIMEO): a lost datagram makes the
 * client fail with a message instead of hanging.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netdb.h>

static void error(const char *msg)
{
    perror(msg);
    exit(1);
}

int main(int argc, char *argv[])
{
    int sock, n, rc;
    struct addrinfo hints, *server;
    struct sockaddr_storage from;
    socklen_t fromlen;
    struct timeval timeout;
    char buffer[256];

    if (argc < 3) {
        fprintf(stderr, "usage %s hostname port\n", argv[0]);
        exit(1);
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    rc = getaddrinfo(argv[1], argv[2], &hints, &server);
    if (rc != 0) {
        fprintf(stderr, "ERROR, no such host: %s\n", gai_strerror(rc));
        exit(1);
    }
    sock = socket(server->ai_family, server->ai_socktype, server->ai_protocol);
    if (sock < 0)
        error("socket");
    timeout.tv_sec = 5;
    timeout.tv_usec = 0;
    if (setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0)
        error("setsockopt");

    printf("Please enter the message: ");
    memset(buffer, 0, sizeof(buffer));
    if (fgets(buffer, 255, stdin) == NULL)
        buffer[0] = '\0';
    n = sendto(sock, buffer, strlen(buffer), 0, server->ai_addr, server->ai_addrlen);
    freeaddrinfo(server);
    if (n < 0)
        error("sendto");
    memset(buffer, 0, sizeof(buffer));
    fromlen = sizeof(from);
    n = recvfrom(sock, buffer, 255, 0, (struct sockaddr *) &from, &fromlen);
    if (n < 0)
        error("recvfrom");
    printf("%s\n", buffer);
    close(sock);
    return 0;
}
