package io.echoack.server.admin;

/** Whether the server should get traffic: true once every listener is bound, false again while draining. */
public interface Readiness {
    boolean isReady();
}
