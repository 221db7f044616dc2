package io.jtgt.iscsi.session;

/** 32-bit serial number arithmetic (RFC 1982, as RFC 7143 4.2.2.1 requires for CmdSN/StatSN). */
final class SerialNumbers {

    private SerialNumbers() {}

    static boolean lessThan(int a, int b) {
        return a != b && (a - b) < 0;
    }

    static boolean lessOrEqual(int a, int b) {
        return a == b || (a - b) < 0;
    }
}
