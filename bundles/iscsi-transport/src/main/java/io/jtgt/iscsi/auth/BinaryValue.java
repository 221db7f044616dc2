package io.jtgt.iscsi.auth;

import java.util.Base64;
import java.util.HexFormat;

/** RFC 7143 5.1 binary-value: {@code 0x} + hex or {@code 0b} + base64. */
final class BinaryValue {

    private BinaryValue() {}

    /** Decodes a binary-value; null when it is not one (a malformed key value). */
    static byte[] decode(String value) {
        if (value == null || value.length() < 3 || value.charAt(0) != '0') {
            return null;
        }
        String body = value.substring(2);
        try {
            return switch (value.charAt(1)) {
                case 'x', 'X' -> HexFormat.of().parseHex(body.length() % 2 == 0 ? body : "0" + body);
                case 'b', 'B' -> Base64.getDecoder().decode(body);
                default -> null;
            };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
