package io.jtgt.scsi.core.spc;

import static io.jtgt.scsi.core.Cdb.put16;
import static io.jtgt.scsi.core.Cdb.put64;
import static io.jtgt.scsi.core.Cdb.putAscii;

import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.DeviceIdentity;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Unit Serial Number (SPC-4 7.8.14) and Device Identification (SPC-4 7.8.6) VPD pages. */
final class IdentificationPages {

    /** SPC-4 7.6.1 PROTOCOL IDENTIFIER for iSCSI. */
    private static final int PROTOCOL_ISCSI = 0x5;

    private static final int CODE_SET_BINARY = 1;
    private static final int CODE_SET_ASCII = 2;
    private static final int CODE_SET_UTF8 = 3;

    private static final int ASSOC_LU = 0;
    private static final int ASSOC_TARGET_PORT = 1;
    private static final int ASSOC_TARGET_DEVICE = 2;

    private static final int TYPE_T10_VENDOR = 1;
    private static final int TYPE_NAA = 3;
    private static final int TYPE_RELATIVE_TARGET_PORT = 4;
    private static final int TYPE_TARGET_PORT_GROUP = 5;
    private static final int TYPE_SCSI_NAME = 8;

    private IdentificationPages() {}

    static VpdPage serialNumber() {
        return new VpdPage(0x80, ctx -> {
            String serial = ctx.device().identity().serial();
            byte[] body = new byte[serial.length()];
            putAscii(body, 0, body.length, serial);
            return VpdPage.withHeader(0x80, body);
        });
    }

    /**
     * The logical unit's NAA and T10 vendor id designators, then the target port's relative port
     * identifier, its target port group and iSCSI port name ({@code <iqn>,t,0x<tpgt>}, RFC 7143 /
     * SPC-4 7.6.4.5), then the target device name: what multipath and the Linux sysfs vpd_pg83 expect from an iSCSI disk.
     */
    static VpdPage deviceIdentification() {
        return new VpdPage(0x83, ctx -> {
            DeviceIdentity id = ctx.device().identity();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] naa = new byte[8];
            put64(naa, 0, id.naa());
            designator(out, 0, CODE_SET_BINARY, ASSOC_LU, TYPE_NAA, naa);
            byte[] t10 = new byte[8 + id.serial().length()];
            putAscii(t10, 0, 8, DeviceIdentity.VENDOR);
            putAscii(t10, 8, id.serial().length(), id.serial());
            designator(out, 0, CODE_SET_ASCII, ASSOC_LU, TYPE_T10_VENDOR, t10);
            byte[] relative = new byte[4];
            put16(relative, 2, portId(ctx.tpgt()));
            designator(out, PROTOCOL_ISCSI, CODE_SET_BINARY, ASSOC_TARGET_PORT, TYPE_RELATIVE_TARGET_PORT, relative);
            byte[] group = new byte[4];
            put16(group, 2, portId(ctx.tpgt())); // SPC-4 7.8.6.8, as REPORT TARGET PORT GROUPS reports it
            designator(out, 0, CODE_SET_BINARY, ASSOC_TARGET_PORT, TYPE_TARGET_PORT_GROUP, group);
            String portName = ctx.targetName() + ",t,0x" + String.format("%04x", ctx.tpgt() & 0xFFFF);
            designator(out, PROTOCOL_ISCSI, CODE_SET_UTF8, ASSOC_TARGET_PORT, TYPE_SCSI_NAME, scsiName(portName));
            designator(out, PROTOCOL_ISCSI, CODE_SET_UTF8, ASSOC_TARGET_DEVICE, TYPE_SCSI_NAME, scsiName(ctx.targetName()));
            return VpdPage.withHeader(0x83, out.toByteArray());
        });
    }

    /**
     * The relative target port and target port group identifier of an iSCSI target portal group:
     * its tag, as each group is one port (RFC 7143 / SPC-4 7.6.4.5); 0 is reserved for both
     * (SPC-4 7.8.6.7, 7.8.6.8).
     */
    static int portId(int tpgt) {
        int tag = tpgt & 0xFFFF;
        return tag == 0 ? 1 : tag;
    }

    /** SPC-4 7.8.6.11: null-terminated, padded with nulls to a multiple of 4. */
    private static byte[] scsiName(String name) {
        byte[] text = name.getBytes(StandardCharsets.UTF_8);
        int length = (text.length + 1 + 3) & ~3;
        byte[] b = new byte[length];
        System.arraycopy(text, 0, b, 0, text.length);
        return b;
    }

    /** SPC-4 7.8.6.1 designation descriptor; PIV is set whenever a protocol identifier is given. */
    private static void designator(ByteArrayOutputStream out, int protocol, int codeSet, int association, int type,
            byte[] value) {
        boolean piv = protocol != 0;
        out.write((protocol << 4) | codeSet);
        out.write((piv ? 0x80 : 0) | (association << 4) | type);
        out.write(0);
        out.write(value.length);
        out.writeBytes(value);
    }
}
