/**
 * Binding listeners: the bootstrap per endpoint kind, socket options, receive allocators, bind-error wording, and
 * a wildcard UDP endpoint's socket per local address.
 */
package io.echoack.server.binding;
