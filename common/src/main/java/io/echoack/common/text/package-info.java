/** Human spellings shared by both commands (durations, named values), parsed and printed one way everywhere. */
package io.echoack.common.text;
