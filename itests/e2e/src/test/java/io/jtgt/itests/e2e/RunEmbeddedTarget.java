package io.jtgt.itests.e2e;

import java.util.concurrent.CountDownLatch;

/**
 * Starts an embedded target for testing by hand and prints its URLs; Ctrl-C stops it.
 *
 * <pre>
 * cd itests/e2e
 * mvn -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:$(cat target/cp.txt) io.jtgt.itests.e2e.RunEmbeddedTarget [port] [sizeMiB] [luns]
 * iscsi-ls -s iscsi://127.0.0.1:PORT
 * </pre>
 */
public final class RunEmbeddedTarget {

    private RunEmbeddedTarget() {}

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        long sizeMiB = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        int lunCount = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        EmbeddedTarget.Builder builder = EmbeddedTarget.builder().port(port);
        for (int lun = 0; lun < lunCount; lun++) {
            builder.lun(lun, EmbeddedTarget.Lun.thin(sizeMiB * EmbeddedTarget.MIB));
        }
        EmbeddedTarget target = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            target.close();
            stopped.countDown();
        }, "embedded-target-shutdown"));
        System.out.println("Target " + target.targetName() + " listening on " + target.portalUrl());
        for (int lun = 0; lun < lunCount; lun++) {
            System.out.println("  LUN " + lun + ": " + target.url(lun) + "  (image " + target.image(lun) + ")");
        }
        System.out.println("Ctrl-C to stop.");
        stopped.await();
    }
}
