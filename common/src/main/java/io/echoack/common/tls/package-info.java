/** TLS pieces shared by server and client: which TLS engine to use, and reading PEM certificates and keys. */
package io.echoack.common.tls;
