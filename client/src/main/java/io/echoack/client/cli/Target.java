package io.echoack.client.cli;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.EndpointKind;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Where a command sends to and what, read from its positional arguments: either {@code ENDPOINT [MESSAGE...]}
 * or the sockets tutorial's {@code HOST PORT [MESSAGE...]}, which means {@code tcp://HOST:PORT}. The
 * tutorial form is recognised when the first argument has no {@code ://} and the second is a port number.
 *
 * @param endpoint where to send
 * @param messages the remaining arguments, one message each
 */
record Target(Endpoint endpoint, List<String> messages) {

    static final String EXAMPLES = "e.g. tcp://127.0.0.1:51717, udp://[::1]:51717, unix:///tmp/echoack.sock, "
            + "or HOST PORT";

    /**
     * Splits positional arguments into target and messages.
     *
     * @throws ParameterException (a usage error) when no endpoint can be read from them
     */
    static Target parse(List<String> args, CommandLine commandLine) {
        if (args == null || args.isEmpty()) {
            throw new ParameterException(commandLine, "missing ENDPOINT (" + EXAMPLES + ")");
        }
        String first = args.get(0);
        if (first.contains("://")) {
            return new Target(parseEndpoint(first, commandLine), List.copyOf(args.subList(1, args.size())));
        }
        if (args.size() >= 2 && isPort(args.get(1))) {
            String host = first.startsWith("[") && first.endsWith("]")
                    ? first.substring(1, first.length() - 1) : first;
            if (host.isEmpty() || host.contains("/")) {
                throw new ParameterException(commandLine, "'" + first + "' is not a host name or address");
            }
            Endpoint tcp = Endpoint.inet(EndpointKind.TCP, host, Integer.parseInt(args.get(1)));
            return new Target(tcp, List.copyOf(args.subList(2, args.size())));
        }
        throw new ParameterException(commandLine, "'" + first + "' is not an endpoint (" + EXAMPLES + ")");
    }

    /**
     * The endpoint alone, for a command that sends messages of its own: a message argument is a usage error
     * that says so, {@code reason} first (e.g. {@code "check sends its own probe"}).
     *
     * @throws ParameterException (a usage error) when no endpoint can be read, or a message follows it
     */
    static Endpoint parseEndpointOnly(List<String> args, CommandLine commandLine, String reason) {
        Target target = parse(args, commandLine);
        if (!target.messages().isEmpty()) {
            throw new ParameterException(commandLine, reason + "; unexpected argument '"
                    + target.messages().get(0) + "'");
        }
        return target.endpoint();
    }

    private static Endpoint parseEndpoint(String text, CommandLine commandLine) {
        Endpoint endpoint;
        try {
            endpoint = Endpoint.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
        if (endpoint.proxy().isPresent()) {
            // ?proxy= says what a server's listener reads; ignoring it here would send no header unnoticed
            throw new ParameterException(commandLine, "invalid endpoint '" + text + "': proxy is a server "
                    + "listener's setting; to send a PROXY protocol header, use --proxy-header v1|v2");
        }
        if (!endpoint.faults().isNone()) {
            // faults are what a server's listener injects; a client that ignored them would test nothing
            throw new ParameterException(commandLine, "invalid endpoint '" + text + "': faults ("
                    + endpoint.faults().toQuery() + ") are a server listener's setting, not a client's");
        }
        return endpoint;
    }

    private static boolean isPort(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(text) <= 65535;
    }
}
