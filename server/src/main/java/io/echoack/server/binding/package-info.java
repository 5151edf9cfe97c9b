/** Binding listeners: the bootstrap per endpoint kind, socket options, receive allocators and bind-error wording. */
package io.echoack.server.binding;
