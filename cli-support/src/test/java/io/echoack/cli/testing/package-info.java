/** The checks every command's settings test makes of its own table, its errors and its help, and the reading of the
 * deployment files their tests check (test-jar). */
package io.echoack.cli.testing;
