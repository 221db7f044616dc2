package io.jtgt.backend.s3;

import static io.jtgt.backend.s3.S3StoreFixture.BUCKET;
import static io.jtgt.backend.s3.S3StoreFixture.SIZE;
import static io.jtgt.backend.s3.S3StoreFixture.config;
import static io.jtgt.backend.s3.S3StoreFixture.failureOf;
import static io.jtgt.backend.s3.S3StoreFixture.pattern;
import static io.jtgt.backend.s3.S3StoreFixture.read;
import static io.jtgt.backend.s3.S3StoreFixture.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Credentials without a secret in Config Admin: {@code s3Profile} names a profile of a shared
 * credentials file ({@code s3CredentialsFile}, else the AWS default locations), which an
 * administrator keeps readable by the daemon's user only.
 */
class S3CredentialsTest {

    @RegisterExtension
    static final S3StoreFixture s3 = new S3StoreFixture();
    private Path credentials;

    @BeforeEach
    void start() throws Exception {
        credentials = s3.dir.resolve("credentials");
        Files.writeString(credentials, "[default]\naws_access_key_id = not-this-one\naws_secret_access_key = nope\n\n"
                + "[jtgt]\naws_access_key_id = " + S3ProxyServer.ACCESS_KEY + "\naws_secret_access_key = "
                + S3ProxyServer.SECRET_KEY + "\n");
    }

    @Test
    void aProfileOfACredentialsFileOpensTheStoreWithNoSecretInTheConfiguration() throws Exception {
        BackingStore store = s3.open(BUCKET + "/profiled", SIZE, s3.options("s3AccessKeyId", null,
                "s3SecretAccessKey", null, "s3Profile", "jtgt", "s3CredentialsFile", credentials.toString()));
        byte[] data = pattern(4096, 1);
        write(store, 0, data);
        assertArrayEquals(data, read(store, 0, 4096));
        String shown = S3StorageOptions.from(config(BUCKET + "/profiled", SIZE, s3.options("s3AccessKeyId", null,
                "s3SecretAccessKey", null, "s3Profile", "jtgt", "s3CredentialsFile", credentials.toString())))
                .toString();
        assertTrue(shown.contains("profile jtgt in " + credentials), shown);
    }

    /**
     * Temporary credentials: the session token goes with the requests, and never into what is
     * shown. s3proxy refuses session tokens (501 NotImplemented for x-amz-security-token), so the
     * open fails here; the relay in front shows what the client sent.
     */
    @Test
    void aSessionTokenIsSentAndNeverShown() throws Exception {
        String token = "session-token-FwoGZXIvYXdzE";
        try (FreezableRelay relay = new FreezableRelay(s3.server.port())) {
            java.util.Map<String, String> options = s3.options("s3Endpoint", relay.endpoint(), "s3SessionToken", token);
            BackingStoreException refused = assertInstanceOf(BackingStoreException.class,
                    failureOf(s3.provider.open(config(BUCKET + "/temporary", SIZE, options))));
            java.util.List<String> heads = relay.heads();
            assertFalse(heads.isEmpty());
            String lower = token.toLowerCase(java.util.Locale.ROOT);
            for (String head : heads) {
                assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("x-amz-security-token: " + lower), head);
            }
            S3StorageOptions parsed = S3StorageOptions.from(config(BUCKET + "/temporary", SIZE, options));
            for (String shown : java.util.List.of(refused.getMessage(), parsed.toString(), parsed.credentialSource(),
                    config(BUCKET + "/temporary", SIZE, options).toString())) {
                assertFalse(shown.contains(token) || shown.contains(S3ProxyServer.SECRET_KEY), shown);
            }
            assertTrue(parsed.credentialSource().contains("with a session token"), parsed.credentialSource());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> S3StorageOptions.from(config(
                BUCKET + "/x", SIZE, s3.options("s3AccessKeyId", null, "s3SecretAccessKey", null, "s3SessionToken", token))));
        assertTrue(e.getMessage().startsWith("s3SessionToken:") && !e.getMessage().contains(token), e.getMessage());
    }

    @Test
    void aMissingProfileFailsTheOpenNamingTheSource() {
        Throwable refused = failureOf(s3.provider.open(config(BUCKET + "/profiled", SIZE, s3.options(
                "s3AccessKeyId", null, "s3SecretAccessKey", null, "s3Profile", "absent",
                "s3CredentialsFile", credentials.toString()))));
        BackingStoreException e = assertInstanceOf(BackingStoreException.class, refused);
        assertTrue(e.getMessage().startsWith("no AWS credentials from the profile absent in " + credentials),
                e.getMessage());
        assertFalse(e.getMessage().contains(S3ProxyServer.SECRET_KEY), e.getMessage());
    }

    @Test
    void aProfileWithStaticKeysIsRefusedNamingTheFields() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> S3StorageOptions.from(
                config(BUCKET + "/x", SIZE, s3.options("s3Profile", "jtgt"))));
        assertTrue(e.getMessage().startsWith("s3Profile/s3CredentialsFile:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> S3StorageOptions.from(config(BUCKET + "/x", SIZE,
                s3.options("s3AccessKeyId", null, "s3SecretAccessKey", null, "s3CredentialsFile", "relative/file"))));
        assertTrue(e.getMessage().startsWith("s3CredentialsFile:"), e.getMessage());
    }
}
