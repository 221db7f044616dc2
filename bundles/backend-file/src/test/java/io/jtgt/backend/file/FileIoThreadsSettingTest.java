package io.jtgt.backend.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FileIoThreadsSettingTest {

    @Test
    void fileIoThreadsIsReadFromNumbersAndStringsElseTheDefault() {
        assertEquals(3, FileBackingStoreProvider.ioThreadsSetting(3));
        assertEquals(12, FileBackingStoreProvider.ioThreadsSetting(" 12 "));
        assertEquals(1024, FileBackingStoreProvider.ioThreadsSetting(1024L));
        int dflt = FileBackingStoreProvider.DEFAULT_IO_THREADS;
        assertEquals(dflt, FileBackingStoreProvider.ioThreadsSetting(null));
        assertEquals(dflt, FileBackingStoreProvider.ioThreadsSetting("many"));
        assertEquals(dflt, FileBackingStoreProvider.ioThreadsSetting(0));
        assertEquals(dflt, FileBackingStoreProvider.ioThreadsSetting(1025));
    }

    @Test
    void theDefaultIsOnePerCoreBetweenTwoAndSixteen() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.min(16, Math.max(2, cores)), FileBackingStoreProvider.DEFAULT_IO_THREADS);
    }
}
