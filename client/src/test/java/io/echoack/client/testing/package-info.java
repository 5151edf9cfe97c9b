/** Test fixtures for the client's tests: a real server, and the CLI run in-process. */
package io.echoack.client.testing;
