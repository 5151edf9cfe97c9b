/** Printing each received message ({@code --print-messages}) without ever blocking an event loop. */
package io.echoack.server.messagelog;
