package io.jtgt.backend.s3;

import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns SDK failures into {@link BackingStoreException}s. Anything that says "S3 is not answering
 * properly right now" (connection refused, timeouts, 5xx, throttling, auth) is
 * {@link Kind#UNAVAILABLE}: NOT READY / LOGICAL UNIT COMMUNICATION FAILURE, which the initiator
 * retries and which clears by itself once S3 answers again. A data problem on a read (an object
 * that is not what we wrote) is {@code dataKind} (READ_ERROR → MEDIUM ERROR).
 */
final class S3Failures {

    private S3Failures() {}

    static BackingStoreException classify(Throwable t, String what) {
        Throwable cause = unwrap(t);
        if (cause instanceof BackingStoreException b) {
            return b;
        }
        if (cause instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            return new BackingStoreException(Kind.UNAVAILABLE, what + " failed: S3 answered HTTP " + s3.statusCode()
                    + (code == null ? "" : " " + code) + " (" + firstLine(s3.getMessage()) + ")", s3);
        }
        if (cause instanceof ApiCallTimeoutException || cause instanceof ApiCallAttemptTimeoutException) {
            return new BackingStoreException(Kind.UNAVAILABLE, what + " failed: S3 did not answer in time ("
                    + firstLine(cause.getMessage()) + ")", cause);
        }
        if (cause instanceof java.io.IOException || cause instanceof java.io.UncheckedIOException) {
            // what the SDK does not wrap: an I/O failure inside our own body handling (a GET cut
            // short); the HTTP client's own ones reach the SDK's retries (RetryableIoHttpClient)
            return new BackingStoreException(Kind.UNAVAILABLE, what + " failed: S3 connection lost ("
                    + firstLine(String.valueOf(cause.getMessage())) + ")", cause);
        }
        if (cause instanceof SdkClientException || cause instanceof software.amazon.awssdk.core.exception.SdkException) {
            return new BackingStoreException(Kind.UNAVAILABLE, what + " failed: S3 unreachable ("
                    + firstLine(cause.getMessage()) + ")", cause);
        }
        return new BackingStoreException(Kind.INTERNAL, what + " failed: " + cause, cause);
    }

    /**
     * An open failure as one line naming the cause and the storage's place (bucket/prefix and
     * endpoint): wrong credentials, no bucket, no answer. scsi-core logs it once, after the
     * storage's deviceID, and shows it as the LUN's state detail.
     */
    static BackingStoreException openFailure(Throwable t, S3StorageOptions options) {
        Throwable cause = unwrap(t);
        String where = " (" + options.describe() + options.endpoint().map(e -> " at " + e).orElse("") + ")";
        if (cause instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorCode();
            String why = switch (code == null ? "" : code) {
                case "NoSuchBucket" -> "bucket '" + options.bucket() + "' does not exist";
                case "InvalidAccessKeyId" -> "S3 does not know the access key (wrong credentials)";
                case "SignatureDoesNotMatch" -> "S3 refused the request signature (wrong secret key)";
                case "AccessDenied" -> "S3 denied access (credentials lack permission on the bucket)";
                default -> "S3 answered HTTP " + s3.statusCode() + " " + code;
            };
            return new BackingStoreException(Kind.UNAVAILABLE, why + where, s3);
        }
        BackingStoreException b = classify(cause, "opening");
        return new BackingStoreException(b.kind(), b.getMessage() + where, b.getCause());
    }

    /** The configured credential source yields nothing (no such profile, empty default chain). */
    static BackingStoreException noCredentials(Throwable t, S3StorageOptions options) {
        return new BackingStoreException(Kind.UNAVAILABLE, "no AWS credentials from the " + options.credentialSource()
                + " (" + firstLine(unwrap(t).getMessage()) + ")", t);
    }

    static boolean isNotFound(Throwable t) {
        return unwrap(t) instanceof S3Exception s3 && s3.statusCode() == 404
                && (s3.awsErrorDetails() == null || !"NoSuchBucket".equals(s3.awsErrorDetails().errorCode()));
    }

    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
