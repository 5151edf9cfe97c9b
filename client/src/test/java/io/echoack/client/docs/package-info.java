/** The test that runs the examples of README.md and docs/*.md, and the convention it reads them by. */
package io.echoack.client.docs;
