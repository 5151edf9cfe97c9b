package io.echoack.client.cli;

import io.echoack.cli.SettingsHelp;
import io.echoack.client.net.EchoAckClient;
import io.echoack.client.net.EchoAckClientException;
import io.echoack.client.net.InfoReply;
import io.echoack.client.net.ReplyText;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.tls.TlsProviderUnavailableException;
import io.echoack.common.transport.TransportUnavailableException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code echoack info}: asks a server in info mode what it sees of this connection (which backend answered, the
 * client address it saw, what a PROXY header and TLS said) and prints the reply, one field per line. The
 * probe on datagrams is {@value #DATAGRAM_PROBE_BYTES} bytes long, so that a UDP reflection guard that bounds
 * reply bytes by request bytes (echoack's: twice) has no reason to drop the (longer) reply.
 */
@Command(name = "info",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        defaultValueProvider = ClientDefaults.class,
        usageHelpWidth = SettingsHelp.WIDTH,
        description = {"Asks an echoack server in info mode (--mode info, or ?mode=info on the endpoint) what it "
                + "sees of this connection, and prints it, one field per line: the host and --identity pairs "
                + "that answered, the listener, the local, peer and client addresses, the PROXY header and TLS "
                + "details, the server's version.",
                "For machines, send prints the reply as it came: JSON from a listener with ?format=json (or "
                        + "length framing), text otherwise."},
        customSynopsis = {"echoack info [OPTIONS] ENDPOINT", "echoack info [OPTIONS] HOST PORT"},
        footerHeading = "%nExamples:%n",
        footer = {"  echoack info 'tcp://127.0.0.1:51717?mode=info'",
                "  echoack info 'udp://echoack.default.svc:51717?mode=info'",
                "  echoack info 'tls://localhost:8443?mode=info' --tls-ca ca.pem"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP, ExitCodes.TIMEOUT_HELP,
                ExitCodes.REFUSED_HELP, ExitCodes.RESET_HELP, ExitCodes.RESOLVE_HELP, ExitCodes.TLS_HELP,
                "8:wrong reply: not an identity reply (not a server in info mode)"})
final class InfoCommand implements Callable<Integer> {

    /** The message sent on streams. */
    static final String PROBE = "echoack-info";
    /** The length of the probe on datagrams: the message, padded with spaces. */
    static final int DATAGRAM_PROBE_BYTES = 512;

    @Parameters(arity = "1..2", paramLabel = "ENDPOINT|HOST PORT",
            description = "Where to ask: ENDPOINT, or HOST PORT for TCP.")
    List<String> arguments;

    @Mixin
    ClientOptionsMixin options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Endpoint endpoint = Target.parseEndpointOnly(arguments, spec.commandLine(), "info sends its own probe");
        if (endpoint.mode().filter(m -> m != ReplyMode.INFO).isPresent()) {
            throw new ParameterException(spec.commandLine(), "info asks for an identity reply, but " + endpoint
                    + " says ?mode=" + endpoint.mode().get().id() + " (use ?mode=info, or send for other modes)");
        }
        if (options.connection.mode != null && options.connection.mode != ReplyMode.INFO) {
            throw new ParameterException(spec.commandLine(), "--mode: info asks for an identity reply; drop "
                    + "--mode " + options.connection.mode.id() + " (or use send)");
        }
        EchoAckClient.Builder builder = options.clientBuilder(spec.commandLine()).mode(ReplyMode.INFO);
        options.connection.tls.warn(spec.commandLine(), endpoint);
        byte[] reply;
        try {
            reply = Exchange.once(builder, endpoint, probe(endpoint)).reply();
        } catch (EchoAckClientException | TransportUnavailableException | TlsProviderUnavailableException
                 | IllegalArgumentException e) {
            return Failures.report(spec.commandLine(), e);
        }
        Map<String, String> fields;
        try {
            fields = InfoReply.parse(reply);
        } catch (IllegalArgumentException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("echoack: " + endpoint.address() + " answered " + ReplyText.quote(Replies.withoutLineEnd(reply))
                    + ", which is no identity reply (" + e.getMessage() + "): is it an echoack server in info mode "
                    + "(--mode info, or ?mode=info on its endpoint)?");
            err.flush();
            return ExitCodes.WRONG_REPLY;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(table(fields));
        out.flush();
        return ExitCodes.OK;
    }

    /** The probe: a line on streams, padded to {@value #DATAGRAM_PROBE_BYTES} bytes on datagrams. */
    static byte[] probe(Endpoint endpoint) {
        byte[] probe = PROBE.getBytes(StandardCharsets.US_ASCII);
        if (endpoint.kind().isStream()) {
            return probe;
        }
        byte[] padded = Arrays.copyOf(probe, DATAGRAM_PROBE_BYTES);
        Arrays.fill(padded, probe.length, padded.length, (byte) ' ');
        return padded;
    }

    /** One field per line, keys in a column: {@code host      web-1}; values escaped as error messages show bytes. */
    static String table(Map<String, String> fields) {
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            sb.append(field.getKey()).append(" ".repeat(width - field.getKey().length() + 2));
            String value = field.getValue();
            if (value.isEmpty()) {
                sb.append("\"\"");
            } else {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                ReplyText.escape(bytes, bytes.length, sb);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
