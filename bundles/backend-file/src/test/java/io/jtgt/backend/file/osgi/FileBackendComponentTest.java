package io.jtgt.backend.file.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jtgt.backend.file.FileBackingStoreProvider;
import org.junit.jupiter.api.Test;

class FileBackendComponentTest {

    @Test
    void fileIoThreadsIsReadFromNumbersAndStringsElseTheDefault() {
        assertEquals(3, FileBackendComponent.ioThreads(3));
        assertEquals(12, FileBackendComponent.ioThreads(" 12 "));
        assertEquals(1024, FileBackendComponent.ioThreads(1024L));
        int dflt = FileBackingStoreProvider.DEFAULT_IO_THREADS;
        assertEquals(dflt, FileBackendComponent.ioThreads(null));
        assertEquals(dflt, FileBackendComponent.ioThreads("many"));
        assertEquals(dflt, FileBackendComponent.ioThreads(0));
        assertEquals(dflt, FileBackendComponent.ioThreads(1025));
    }

    @Test
    void theDefaultIsOnePerCoreBetweenTwoAndSixteen() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.min(16, Math.max(2, cores)), FileBackingStoreProvider.DEFAULT_IO_THREADS);
    }
}
