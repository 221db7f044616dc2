package io.jtgt.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jtgt.scsi.api.AdminService;
import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.LunView;
import io.jtgt.scsi.config.StorageDefinition;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StorageResizeTest {

    private final AtomicLong liveSize = new AtomicLong(1L << 30);
    private final List<String> resizes = new ArrayList<>();

    @Test
    void growsThenReportsTheSizeTheLunShows() throws Exception {
        StorageResize command = command("1000", "2G");
        assertEquals("Storage 1000 resized to 2.0 GiB (2147483648 bytes); its initiators get CAPACITY DATA HAS CHANGED",
                run(command));
        assertEquals(List.of("1000=2147483648"), resizes);
    }

    @Test
    void shrinkingBelowTheLiveSizeIsRefusedBeforeAnythingIsWritten() {
        StorageResize command = command("1000", "512M");
        assertEquals("SIZE: 536870912 bytes is smaller than storage 1000's current 1073741824 bytes; shrinking a LUN"
                + " is refused", assertThrows(IllegalArgumentException.class, () -> run(command)).getMessage());
        assertEquals("SIZE: 'big' is not a size (e.g. 1073741824, 512M, 1G)",
                assertThrows(IllegalArgumentException.class, () -> run(command("1000", "big"))).getMessage());
        assertEquals(List.of(), resizes);
    }

    private StorageResize command(String id, String size) {
        StorageResize command = new StorageResize();
        command.deviceId = id;
        command.size = size;
        command.admin = (AdminService) Proxy.newProxyInstance(AdminService.class.getClassLoader(),
                new Class<?>[] {AdminService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("resizeStorage")) {
                        resizes.add(args[0] + "=" + args[1]);
                        liveSize.set((Long) args[1]); // the running storage follows
                        return StorageDefinition.fromProperties(Map.of("deviceID", args[0], "path", "/x.img"));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        command.management = new EmptyManagement() {
            @Override
            public List<LunView> luns() {
                return List.of(new LunView("iqn.2026-11.io.jtgt:t", 0, 1000, "file", "/x.img", liveSize.get(), 512,
                        "ONLINE", ""));
            }
        };
        return command;
    }

    private static String run(StorageResize command) throws Exception {
        return Printed.by(command::run).trim();
    }
}
