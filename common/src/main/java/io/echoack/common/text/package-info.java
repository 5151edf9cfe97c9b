/** Human spellings shared by both commands (durations), parsed and printed one way everywhere. */
package io.echoack.common.text;
