/*
 * tutorial_client.c - a TCP client written the way the classic BSD sockets tutorial writes one:
 * connect, prompt for one line, write it, read one reply of at most 255 bytes, print it.
 *
 * Usage: tutorial_client hostname port
 *
 * Name resolution uses getaddrinfo so that the same client works over IPv4 and IPv6 loopback.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netdb.h>

static void error(const char *msg)
{
    perror(msg);
    exit(1);
}

int main(int argc, char *argv[])
{
    int sockfd, n, rc;
    struct addrinfo hints, *server, *ai;
    char buffer[256];

    if (argc < 3) {
        fprintf(stderr, "usage %s hostname port\n", argv[0]);
        exit(1);
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    rc = getaddrinfo(argv[1], argv[2], &hints, &server);
    if (rc != 0) {
        fprintf(stderr, "ERROR, no such host: %s\n", gai_strerror(rc));
        exit(1);
    }
    sockfd = -1;
    for (ai = server; ai != NULL; ai = ai->ai_next) {
        sockfd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (sockfd < 0)
            continue;
        if (connect(sockfd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        close(sockfd);
        sockfd = -1;
    }
    freeaddrinfo(server);
    if (sockfd < 0)
        error("ERROR connecting");

    printf("Please enter the message: ");
    memset(buffer, 0, sizeof(buffer));
    if (fgets(buffer, 255, stdin) == NULL)
        buffer[0] = '\0';
    n = write(sockfd, buffer, strlen(buffer));
    if (n < 0)
        error("ERROR writing to socket");
    memset(buffer, 0, sizeof(buffer));
    n = read(sockfd, buffer, 255);
    if (n < 0)
        error("ERROR reading from socket");
    printf("%s\n", buffer);
    close(sockfd);
    return 0;
}
