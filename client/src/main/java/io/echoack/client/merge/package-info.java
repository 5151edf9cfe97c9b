/**
 * {@code echoack merge}: many bench clients' JSON results added into one, exactly (histograms added, not
 * percentiles averaged), with the union and overlap of their measured intervals and a table per client.
 */
package io.echoack.client.merge;
