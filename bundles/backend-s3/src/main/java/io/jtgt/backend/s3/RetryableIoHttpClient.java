package io.jtgt.backend.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The SDK's HTTP client with every I/O failure reported as the {@link IOException} it is, so that
 * the SDK's retry strategy sees it.
 *
 * <p>Why: the JDK-based client wraps an I/O failure while it sends a request body in an
 * {@link UncheckedIOException}, and the SDK retries only {@code IOException}s and SDK exceptions,
 * so such a failure ended the call at its first attempt. The common case is a kept-alive
 * connection that the server (or a load balancer) closed just as it was reused: the answer to a
 * PUT's {@code Expect: 100-continue} is then "Unexpected end of file from server". Every request
 * the store makes (PUT, GET or DELETE of a whole object, LIST) is idempotent, so such an attempt is
 * retried like any other, within the same attempt count, backoff and call timeout.
 */
final class RetryableIoHttpClient implements SdkHttpClient {

    private final SdkHttpClient delegate;

    RetryableIoHttpClient(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        ExecutableHttpRequest prepared = delegate.prepareRequest(request);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                try {
                    return prepared.call();
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }

            @Override
            public void abort() {
                prepared.abort();
            }
        };
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
