package io.jtgt.backend.s3;

import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds the synchronous {@link S3Client} of one storage.
 *
 * <p>Why the sync client: the SDK's async client needs an async HTTP client, and the only ones
 * are Netty's (a second, embedded Netty beside the framework's) or the native CRT. The sync client
 * over the JDK's HttpURLConnection embeds cleanly; it runs on the store's own bounded pool, so the
 * number of requests in flight per LUN is that pool's size and no caller thread ever waits.
 *
 * <p>Every bound is explicit: the SDK's defaults can wait over 100 s on a frozen server.
 */
final class S3ClientFactory {

    private S3ClientFactory() {}

    static S3Client create(S3StorageOptions options, AwsCredentialsProvider credentials) {
        UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder()
                .connectionTimeout(min(options.apiCallAttemptTimeout(), java.time.Duration.ofSeconds(5)))
                .socketTimeout(options.apiCallAttemptTimeout());
        RetryStrategy retry = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(options.maxAttempts())
                .backoffStrategy(BackoffStrategy.exponentialDelay(options.retryBaseDelay(), options.retryMaxDelay()))
                .throttlingBackoffStrategy(
                        BackoffStrategy.exponentialDelay(options.retryBaseDelay(), options.retryMaxDelay()))
                // no retry budget shared across calls: after an outage every call gets its own
                // attempts again instead of failing fast until successes refill a token bucket
                .circuitBreakerEnabled(false)
                .build();
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(new RetryableIoHttpClient(http.build()))
                .credentialsProvider(credentials)
                .region(region(options))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(options.apiCallTimeout())
                        .apiCallAttemptTimeout(options.apiCallAttemptTimeout())
                        .retryStrategy(retry)
                        .build())
                // Ceph radosgw and older S3 servers refuse the SDK's default flexible checksums
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(options.forcePathStyle()).build());
        options.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** The configured source of credentials; {@link #create} uses it, the provider checks it first. */
    static AwsCredentialsProvider credentials(S3StorageOptions options) {
        if (options.accessKeyId().isPresent()) {
            String id = options.accessKeyId().get();
            String secret = options.secretAccessKey().orElseThrow();
            return StaticCredentialsProvider.create(options.sessionToken()
                    .<AwsCredentials>map(token -> AwsSessionCredentials.create(id, secret, token))
                    .orElseGet(() -> AwsBasicCredentials.create(id, secret)));
        }
        if (options.profile().isPresent() || options.credentialsFile().isPresent()) {
            ProfileCredentialsProvider.Builder profile = ProfileCredentialsProvider.builder()
                    .profileName(options.profile().orElse("default"));
            options.credentialsFile().ifPresent(file -> profile.profileFile(credentialsFile(file)));
            return profile.build();
        }
        return DefaultCredentialsProvider.builder().build(); // env, system properties, shared files, instance roles
    }

    private static ProfileFile credentialsFile(Path file) {
        return ProfileFile.builder().content(file).type(ProfileFile.Type.CREDENTIALS).build();
    }

    /**
     * {@code s3Region}, else the SDK's default chain; an S3-compatible server with an endpoint of
     * its own (MinIO, radosgw, s3proxy) usually ignores the region, so us-east-1 stands in.
     */
    private static Region region(S3StorageOptions options) {
        if (options.region().isPresent()) {
            return Region.of(options.region().get());
        }
        if (options.profile().isPresent() && options.credentialsFile().isEmpty()) {
            try { // the profile's own region, from the AWS config file
                Region own = new AwsProfileRegionProvider(null, options.profile().get()).getRegion();
                if (own != null) {
                    return own;
                }
            } catch (RuntimeException none) {
                // no region in that profile: the default chain decides
            }
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (RuntimeException none) {
            return Region.US_EAST_1;
        }
    }

    private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
