import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The two Java halves of bench/s3.sh, run with the single-file launcher on backend-s3's test
 * classpath:
 *
 *   serve PORT DIR READY_FILE      s3proxy (filesystem blob store in DIR) on 127.0.0.1:PORT with
 *                                  the bench credentials; writes READY_FILE once started, runs
 *                                  until killed (the script's trap stops it by PID).
 *   put|get|rget ENDPOINT BUCKET PREFIX COUNT SIZE DEPTH
 *                                  COUNT requests, DEPTH at a time (one thread each, a sync
 *                                  S3Client over UrlConnectionHttpClient like jtgt's backend):
 *                                  put / get = whole SIZE-byte objects PREFIX/obj-N,
 *                                  rget = SIZE-byte ranged GETs at random SIZE-aligned offsets
 *                                  inside those objects (objects of OBJECT_SIZE bytes).
 *                                  A first untimed pass of min(COUNT, 64) requests warms
 *                                  the JIT and the connections. Prints "ios secs bytes".
 *   mkbucket ENDPOINT BUCKET       creates the bucket.
 */
public final class S3Direct {

    static final String ACCESS_KEY = "jtgt-bench-access";
    static final String SECRET_KEY = "jtgt-bench-secret-0123456789";

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("mkbucket")) {
            try (S3Client s3 = client(args[1])) {
                s3.createBucket(b -> b.bucket(args[2]));
            }
        } else if (args.length == 4 && args[0].equals("serve")) {
            serve(Integer.parseInt(args[1]), Path.of(args[2]), Path.of(args[3]));
        } else if (args.length == 7) {
            run(args[0], args[1], args[2], args[3], Long.parseLong(args[4]), Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]));
        } else {
            System.err.println("usage: serve PORT DIR READY | put|get|rget ENDPOINT BUCKET PREFIX COUNT SIZE DEPTH");
            System.exit(2);
        }
    }

    static void serve(int port, Path dir, Path ready) throws Exception {
        Files.createDirectories(dir);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start within 30 s: " + proxy.getState());
            }
            Thread.sleep(20);
        }
        Files.writeString(ready, "http://127.0.0.1:" + proxy.getPort() + "\n");
        Thread.currentThread().join(); // until SIGTERM
    }

    static S3Client client(String endpoint) {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                // as the backend's S3ClientFactory: no flexible checksums, so both sides send the same requests
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    static void run(String op, String endpoint, String bucket, String prefix, long count, int size, int depth)
            throws Exception {
        long objectSize = Long.getLong("objectSize", 1 << 20);
        long objects = Long.getLong("objects", 64);
        try (S3Client s3 = client(endpoint)) {
            pass(s3, op, bucket, prefix, Math.min(count, 64), size, depth, objectSize, objects);
            double secs = pass(s3, op, bucket, prefix, count, size, depth, objectSize, objects);
            System.out.printf("%d %.6f %d%n", count, secs, (long) size);
        }
    }

    /** COUNT requests, DEPTH at a time; the seconds they took. */
    static double pass(S3Client s3, String op, String bucket, String prefix, long count, int size, int depth,
            long objectSize, long objects) throws Exception {
        {
            byte[] data = new byte[size];
            ThreadLocalRandom.current().nextBytes(data);
            AtomicLong next = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(depth);
            long t0 = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < depth; w++) {
                workers.add(pool.submit(() -> {
                    for (long claimed = next.getAndIncrement(); claimed < count; claimed = next.getAndIncrement()) {
                        long i = claimed;
                        switch (op) {
                            case "put" -> s3.putObject(b -> b.bucket(bucket).key(prefix + "/obj-" + i),
                                    RequestBody.fromBytes(data));
                            case "get" -> {
                                long n = i % objects;
                                byte[] got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + "/obj-" + n))
                                        .asByteArray();
                                if (got.length != size) {
                                    throw new IllegalStateException("short object " + n + ": " + got.length);
                                }
                            }
                            case "rget" -> {
                                ThreadLocalRandom r = ThreadLocalRandom.current();
                                long n = r.nextLong(objects);
                                long off = r.nextLong(objectSize / size) * size;
                                byte[] got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + "/obj-" + n)
                                        .range("bytes=" + off + "-" + (off + size - 1))).asByteArray();
                                if (got.length != size) {
                                    throw new IllegalStateException("short range of " + n + ": " + got.length);
                                }
                            }
                            default -> throw new IllegalArgumentException("unknown operation " + op);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get(600, TimeUnit.SECONDS);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            return secs;
        }
    }
}
