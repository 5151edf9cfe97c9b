/**
 * Rollout controls: how long the server stays not-ready after it starts listening ({@code --start-delay}) and
 * how long it keeps serving, not-ready, after a stop is requested before it drains ({@code --drain-delay}).
 */
package io.echoack.server.rollout;
