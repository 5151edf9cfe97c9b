/** The checks every command's settings test makes of its own table, its errors and its help (test-jar). */
package io.echoack.cli.testing;
