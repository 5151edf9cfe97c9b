package io.echoack.server.config;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.transport.Transport;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the server needs to know, validated once and then passed down unchanged. Built from the
 * command line by {@code ServerCommand}, or directly by tests and embedders with {@link #defaults()} and
 * the {@code withX} methods.
 *
 * @param listen          endpoints to serve, at least one; each may override mode and framing in its query
 * @param mode            reply mode of endpoints that do not override it
 * @param framing         stream framing of endpoints that do not override it; empty = the mode's default
 *                        (line for ack, raw for echo)
 * @param ackText         the acknowledgement sent on stream endpoints (line framing adds the {@code \n})
 * @param datagramAckText the acknowledgement sent on datagram endpoints
 * @param maxFrameLength  the longest message accepted on a stream, in bytes, terminator or prefix excluded
 * @param transport       which Netty transport to use; {@link Transport#AUTO} picks the best available
 * @param threads         event-loop threads; 0 means one per available core
 * @param printMessages   print {@code Here is the message: <msg>} on stdout for every message received
 */
public record ServerConfig(List<Endpoint> listen, ReplyMode mode, Optional<Framing> framing, String ackText,
                           String datagramAckText, int maxFrameLength, Transport transport, int threads,
                           boolean printMessages) {

    /** The port of the default TCP and UDP endpoints. */
    public static final int DEFAULT_PORT = 51717;
    /** The endpoints served when none is configured. */
    public static final List<Endpoint> DEFAULT_LISTEN = List.of(
            Endpoint.parse("tcp://0.0.0.0:" + DEFAULT_PORT),
            Endpoint.parse("udp://0.0.0.0:" + DEFAULT_PORT),
            Endpoint.parse("unix:///tmp/echoack.sock"));
    /** The sockets tutorial's stream acknowledgement. */
    public static final String DEFAULT_ACK_TEXT = "I got your message";
    /** The sockets tutorial's datagram acknowledgement. */
    public static final String DEFAULT_DATAGRAM_ACK_TEXT = "Got your message";
    /** 64 KiB: far above any chat line, far below anything that could hurt the heap. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 64 * 1024;
    /** Largest frame accepted by configuration: 16 MiB. */
    public static final int MAX_MAX_FRAME_LENGTH = 16 * 1024 * 1024;
    /** Most event-loop threads accepted by configuration. */
    public static final int MAX_THREADS = 1024;

    public ServerConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(ackText, "ackText");
        Objects.requireNonNull(datagramAckText, "datagramAckText");
        Objects.requireNonNull(transport, "transport");
        listen = List.copyOf(listen);
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("listen must name at least one endpoint");
        }
        List<String> fixed = listen.stream().filter(e -> e.port() != 0).map(Endpoint::address).toList();
        if (fixed.stream().distinct().count() != fixed.size()) { // port 0 may repeat: each gets its own port
            throw new IllegalArgumentException("listen names the same endpoint twice: " + listen);
        }
        if (maxFrameLength <= 0 || maxFrameLength > MAX_MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("maxFrameLength must be 1.." + MAX_MAX_FRAME_LENGTH + " bytes, was "
                    + maxFrameLength);
        }
        if (threads < 0 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be 0 (one per core) .. " + MAX_THREADS + ", was "
                    + threads);
        }
        if (ackText.indexOf('\n') >= 0 || ackText.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("ackText must not contain a line break (line framing adds one)");
        }
        if (datagramAckText.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 65507) {
            throw new IllegalArgumentException("datagramAckText must fit in one datagram (65507 bytes)");
        }
    }

    /** The tutorial-compatible defaults: ack mode on TCP and UDP port 51717 and /tmp/echoack.sock. */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_LISTEN, ReplyMode.ACK, Optional.empty(), DEFAULT_ACK_TEXT,
                DEFAULT_DATAGRAM_ACK_TEXT, DEFAULT_MAX_FRAME_LENGTH, Transport.AUTO, 0, false);
    }

    public ServerConfig withListen(List<Endpoint> newListen) {
        return new ServerConfig(newListen, mode, framing, ackText, datagramAckText, maxFrameLength, transport,
                threads, printMessages);
    }

    public ServerConfig withListen(String... endpoints) {
        return withListen(java.util.Arrays.stream(endpoints).map(Endpoint::parse).toList());
    }

    public ServerConfig withMode(ReplyMode newMode) {
        return new ServerConfig(listen, newMode, framing, ackText, datagramAckText, maxFrameLength, transport,
                threads, printMessages);
    }

    public ServerConfig withFraming(Framing newFraming) {
        return new ServerConfig(listen, mode, Optional.ofNullable(newFraming), ackText, datagramAckText,
                maxFrameLength, transport, threads, printMessages);
    }

    public ServerConfig withAckTexts(String newAckText, String newDatagramAckText) {
        return new ServerConfig(listen, mode, framing, newAckText, newDatagramAckText, maxFrameLength, transport,
                threads, printMessages);
    }

    public ServerConfig withMaxFrameLength(int newMaxFrameLength) {
        return new ServerConfig(listen, mode, framing, ackText, datagramAckText, newMaxFrameLength, transport,
                threads, printMessages);
    }

    public ServerConfig withTransport(Transport newTransport) {
        return new ServerConfig(listen, mode, framing, ackText, datagramAckText, maxFrameLength, newTransport,
                threads, printMessages);
    }

    public ServerConfig withThreads(int newThreads) {
        return new ServerConfig(listen, mode, framing, ackText, datagramAckText, maxFrameLength, transport,
                newThreads, printMessages);
    }

    public ServerConfig withPrintMessages(boolean newPrintMessages) {
        return new ServerConfig(listen, mode, framing, ackText, datagramAckText, maxFrameLength, transport,
                threads, newPrintMessages);
    }

    /** The event-loop thread count to use: {@link #threads} or the number of available cores. */
    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
