/** Who may talk to the server at all: source address ranges ({@code --allow CIDR}) for TCP and UDP. */
package io.echoack.server.access;
