package io.echoack.client.cli;

import io.echoack.cli.EnvironmentDefaults;
import io.echoack.client.net.TlsOptions;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.tls.TlsProvider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The TLS options of every command, for {@code tls://} endpoints: whom to trust, which client certificate to
 * present, and the server-name check. The file options have environment variables ({@link ClientSetting});
 * {@code --insecure} has none on purpose, so that turning verification off is always visible on the command
 * line.
 */
final class TlsOptionsMixin {

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "tls:// only: trust the CA certificates in this PEM file instead of the JDK's.")
    String ca;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "tls:// only: present this PEM client certificate, for servers that require one.")
    String cert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "tls:// only: the PKCS#8 PEM private key of --tls-cert.")
    String key;

    @Option(names = {"-k", "--insecure"},
            description = "tls:// only: accept any server certificate, for any name (a test server's "
                    + "self-signed one); encrypted, but not authenticated. No variable, on purpose.")
    boolean insecure;

    @Option(names = "--tls-server-name", paramLabel = "NAME",
            description = "tls:// only: send this server name (SNI) and check the certificate against it.")
    String serverName;

    @Option(names = "--tls-provider", paramLabel = "PROVIDER", converter = ProviderConverter.class,
            completionCandidates = ProviderNames.class,
            description = "tls:// only: ${COMPLETION-CANDIDATES}; auto picks openssl (BoringSSL) when it loads, "
                    + "else jdk.")
    TlsProvider provider;

    /**
     * The options as the client library takes them.
     *
     * @throws ParameterException (a usage error) when they do not fit together; it names the flag or variable
     *                            that gave the one that does not fit
     */
    TlsOptions options(CommandLine commandLine) {
        Optional<Path> caFile = path(ca);
        Optional<Path> certFile = path(cert);
        Optional<Path> keyFile = path(key);
        if (certFile.isPresent() && keyFile.isEmpty()) {
            throw invalid(commandLine, ClientSetting.TLS_CERT, "a client certificate needs its key: set "
                    + EnvironmentDefaults.howToSet(ClientSetting.TLS_KEY));
        }
        if (keyFile.isPresent() && certFile.isEmpty()) {
            throw invalid(commandLine, ClientSetting.TLS_KEY, "a key needs its client certificate: set "
                    + EnvironmentDefaults.howToSet(ClientSetting.TLS_CERT));
        }
        if (insecure && caFile.isPresent()) {
            throw invalid(commandLine, ClientSetting.TLS_CA, "--insecure trusts any server certificate, so this CA "
                    + "would be ignored; give one or the other");
        }
        try {
            return new TlsOptions(caFile, certFile, keyFile, insecure, Optional.ofNullable(serverName), provider);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, Failures.message(commandLine, e));
        }
    }

    private static ParameterException invalid(CommandLine commandLine, ClientSetting setting, String problem) {
        return new ParameterException(commandLine, EnvironmentDefaults.nameIn(commandLine, setting) + ": " + problem);
    }

    /**
     * Warns on stderr when {@code --insecure} turns verification off for a {@code tls://} endpoint, or when
     * TLS options were typed for an endpoint that is not {@code tls://} (they are ignored there).
     */
    void warn(CommandLine commandLine, Endpoint endpoint) {
        PrintWriter err = commandLine.getErr();
        if (endpoint.kind().isTls()) {
            if (insecure) {
                err.println("echoack: warning: --insecure: the server's certificate is not checked; anyone on the "
                        + "path could pose as " + endpoint.address());
                err.flush();
            }
            return;
        }
        var parsed = commandLine.getParseResult();
        boolean typed = parsed != null && Arrays.stream(new String[] {"--tls-ca", "--tls-cert", "--tls-key",
            "--insecure", "--tls-server-name", "--tls-provider"}).anyMatch(parsed::hasMatchedOption);
        if (typed) {
            err.println("echoack: warning: TLS options are ignored for " + endpoint.address()
                    + " (only tls:// endpoints use TLS)");
            err.flush();
        }
    }

    private static Optional<Path> path(String text) {
        return Optional.ofNullable(text).map(String::trim).filter(t -> !t.isEmpty()).map(Path::of);
    }

    static final class ProviderConverter implements ITypeConverter<TlsProvider> {
        @Override
        public TlsProvider convert(String value) {
            try {
                return TlsProvider.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ProviderNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(TlsProvider.values()).map(TlsProvider::id).iterator();
        }
    }
}
