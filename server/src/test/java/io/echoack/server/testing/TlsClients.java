package io.echoack.server.testing;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.tls.PemFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Plain JDK TLS clients for the server's tests ({@link SSLSocket}, nothing of echoack's client), so that the
 * server is tested against an independent TLS implementation. Every socket has a read timeout.
 */
public final class TlsClients {

    public static final int TIMEOUT_MILLIS = 5000;

    private TlsClients() {
    }

    /** A context that trusts {@code ca} and, when {@code cert} is not null, presents that client certificate. */
    public static SSLContext context(Path ca, Path cert, Path key) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        List<X509Certificate> cas = PemFiles.readCertificates(ca);
        for (int i = 0; i < cas.size(); i++) {
            trust.setCertificateEntry("ca" + i, cas.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (cert != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", PemFiles.readPrivateKey(key, null), new char[0],
                    PemFiles.readCertificates(cert).toArray(X509Certificate[]::new));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** A TCP connection to {@code endpoint}, not yet TLS (for layering, or for a plaintext peer). */
    public static Socket tcp(Endpoint endpoint) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return socket;
    }

    /**
     * A TLS connection over {@code tcp}, with the handshake done and the server's name checked as a browser
     * would (endpoint identification HTTPS). Closing it closes {@code tcp} too.
     */
    public static SSLSocket handshake(SSLContext context, Socket tcp, Endpoint endpoint) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(tcp, endpoint.host(), endpoint.port(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.setSoTimeout(TIMEOUT_MILLIS);
        tls.startHandshake();
        return tls;
    }

    /** {@link #handshake} on a new TCP connection. */
    public static SSLSocket connect(SSLContext context, Endpoint endpoint) throws IOException {
        Socket tcp = tcp(endpoint);
        try {
            return handshake(context, tcp, endpoint);
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
    }
}
