package io.jtgt.iscsi.pdu;

/**
 * Emitted by {@link PduDecoder} when the byte stream can no longer be split into PDUs (an
 * oversized data segment, a header digest mismatch). The connection answers with a Reject
 * carrying {@code header} where possible, then closes; the decoder discards everything after.
 *
 * @param header the offending BHS (48 bytes)
 * @param reason a Reject reason code (RFC 7143 11.17.1)
 * @param message what was wrong, for the log
 * @param headerTrusted false when the header itself is corrupt (a header digest error): no
 *     Reject can name it, the connection is simply dropped (RFC 7143 7.8)
 */
public record PduFramingError(byte[] header, int reason, String message, boolean headerTrusted) {}
