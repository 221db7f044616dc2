package io.jtgt.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.AdminService;
import io.jtgt.scsi.config.StorageDefinition;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminCommandTest {

    @Test
    void sizesTakeBinaryUnits() {
        assertEquals(67108864L, AdminCommand.size("--size", "64M"));
        assertEquals(1L << 30, AdminCommand.size("--size", "1GiB"));
        assertEquals(4096L, AdminCommand.size("--size", "4096"));
        assertEquals(2L << 40, AdminCommand.size("--size", "2t"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdminCommand.size("--size", "lots"));
        assertEquals("--size: 'lots' is not a size (e.g. 1073741824, 512M, 1G)", e.getMessage());
    }

    @Test
    void numbersNameTheArgument() {
        assertEquals(7, AdminCommand.intNumber("LUN", " 7", 0, 16383));
        assertEquals("LUN: 'x' is not a whole number",
                assertThrows(IllegalArgumentException.class, () -> AdminCommand.intNumber("LUN", "x", 0, 16383)).getMessage());
        assertEquals("LUN: 16384 is out of range (0..16383)",
                assertThrows(IllegalArgumentException.class, () -> AdminCommand.intNumber("LUN", "16384", 0, 16383)).getMessage());
        assertEquals("DEVICE-ID: -1 is out of range (0.." + Long.MAX_VALUE + ")", assertThrows(IllegalArgumentException.class, () -> AdminCommand.deviceId("-1")).getMessage());
    }

    @Test
    void storageCreateOnlyTranslatesArgumentsIntoProperties() throws Exception {
        List<Map<String, ?>> calls = new ArrayList<>();
        StorageCreate command = new StorageCreate();
        command.admin = recording(calls);
        command.deviceId = "1000";
        command.path = "file:/var/tmp/disk.img";
        command.size = "64M";
        command.blockShift = "12";
        command.thin = true;
        command.options = List.of("cacheMode=writeback", "readOnly=true");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(Map.of("deviceID", 1000L, "path", "file:/var/tmp/disk.img", "deviceSize", 67108864L, "blockShift", 12,
                "thinProvisioning", true, "cacheMode", "writeback", "readOnly", "true"), calls.get(0));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("Storage 1000 created: file /var/tmp/disk.img, 64.0 MiB, 4096-byte blocks, thin"), printed);

        command.options = List.of("novalue");
        assertEquals("--option: 'novalue' is not KEY=VALUE",
                assertThrows(IllegalArgumentException.class, () -> command.run(new PrintStream(bytes))).getMessage());
    }

    @Test
    void lunUnmapPassesForceOn() throws Exception {
        List<List<Object>> calls = new ArrayList<>();
        LunUnmap command = new LunUnmap();
        command.admin = (AdminService) Proxy.newProxyInstance(AdminService.class.getClassLoader(),
                new Class<?>[] {AdminService.class}, (proxy, method, args) -> {
                    calls.add(List.of(method.getName(), List.of(args)));
                    return new io.jtgt.scsi.config.TargetDefinition((String) args[0], Map.of(), Map.of());
                });
        command.target = "iqn.2026-11.io.jtgt:t";
        command.lun = "3";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        command.force = true;
        command.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(List.of(List.of("unmapLun", List.of("iqn.2026-11.io.jtgt:t", 3, false)),
                List.of("unmapLun", List.of("iqn.2026-11.io.jtgt:t", 3, true))), calls);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("LUN 3 of iqn.2026-11.io.jtgt:t unmapped"));
    }

    /** An AdminService that records createStorage and answers with the parsed definition. */
    private static AdminService recording(List<Map<String, ?>> calls) {
        return (AdminService) Proxy.newProxyInstance(AdminService.class.getClassLoader(), new Class<?>[] {AdminService.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("createStorage")) {
                        @SuppressWarnings("unchecked")
                        Map<String, ?> props = (Map<String, ?>) args[0];
                        calls.add(Map.copyOf(props));
                        return StorageDefinition.fromProperties(props);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
