package io.echoack.client.cli;

import io.echoack.client.net.AckTexts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Not a command: what bin/echoack-cds.sh runs (instead of the jar's main) to list the classes of the client's
 * class data sharing archive. It sends one message as {@code echoack send} does to an acknowledging listener of
 * its own, then one to a port nothing listens on, so that the archive holds the classes of the whole send (the
 * reply read and written, the connection closed) and of a refusal; a class the archive lacks is loaded, parsed
 * and verified from the jar on every run. Its own few classes (this one, a {@link ServerSocket}) are listed too.
 */
public final class CdsTraining {

    private static final String TIMEOUT = "2s";

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        EchoAckCli.prepareJvm();
        int refusedPort;
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acker = new Thread(() -> ackOne(listener), "cds-training-ack");
            acker.setDaemon(true);
            acker.start();
            send("tcp://127.0.0.1:" + listener.getLocalPort());
            refusedPort = listener.getLocalPort();
        }
        send("tcp://127.0.0.1:" + refusedPort); // closed now: refused
        System.exit(0);
    }

    private static void send(String endpoint) {
        String[] args = {"send", endpoint, "training", "--timeout", TIMEOUT};
        new EchoAckCli().newCommandLine(args).execute(args);
    }

    /** Answers one connection's first line with the stream ack, as an echoack server does. */
    private static void ackOne(ServerSocket listener) {
        try (Socket connection = listener.accept()) {
            InputStream in = connection.getInputStream();
            int b;
            do {
                b = in.read();
            } while (b != -1 && b != '\n');
            OutputStream out = connection.getOutputStream();
            out.write((AckTexts.STREAM + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            connection.shutdownOutput();
            while (in.read() != -1) {
                // until the client closes
            }
        } catch (IOException e) {
            // the training lists what loaded; a failed exchange lists less, and nothing else depends on it
        }
    }
}
