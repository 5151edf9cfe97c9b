/** What echoack's command lines share: each setting's flag, variable and default in one table, and its help. */
package io.echoack.cli;
