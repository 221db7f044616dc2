package io.jtgt.backend.s3;

import java.net.URI;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for the tests: s3proxy on 127.0.0.1 over a filesystem blob store (so that a
 * stopped and restarted server still has what it acknowledged), with V2/V4 authentication.
 * Shipped in this module's test jar for itests/e2e.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "jtgt-test-access";
    public static final String SECRET_KEY = "jtgt-test-secret-0123456789";

    private final Path dir;
    private S3Proxy proxy;
    private int port;

    public S3ProxyServer(Path dir) {
        this.dir = dir;
    }

    /** Starts on {@code port} (0 = any free port; the port is kept for {@link #restart()}). */
    public S3ProxyServer start(int wantedPort) throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + wantedPort))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        port = proxy.getPort();
        return this;
    }

    public void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    public boolean running() {
        return proxy != null;
    }

    public void restart() throws Exception {
        stop();
        start(port);
    }

    public int port() {
        return port;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** A plain SDK client on the server, for setting up buckets and inspecting objects. */
    public S3Client client() {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
