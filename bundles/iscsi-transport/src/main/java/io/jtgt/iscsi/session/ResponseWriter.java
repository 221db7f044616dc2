package io.jtgt.iscsi.session;

import io.jtgt.iscsi.login.ParameterTable;
import io.jtgt.iscsi.pdu.DataInPdu;
import io.jtgt.iscsi.pdu.IscsiPdu;
import io.jtgt.iscsi.pdu.ScsiResponsePdu;
import io.jtgt.scsi.api.ScsiResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;

/**
 * Turns a SCSI outcome into Data-In and SCSI Response PDUs (RFC 7143 11.4, 11.7): Data-In
 * segments of at most the initiator's MaxRecvDataSegmentLength, F at each MaxBurstLength
 * sequence end, the status in the last Data-In when it is GOOD ("phase collapse"), residuals
 * from the data length against ExpectedDataTransferLength.
 */
final class ResponseWriter {

    private ResponseWriter() {}

    /**
     * Sends the response; takes ownership of {@code data}.
     *
     * @return the write of the last PDU: done when all of the response has gone to the socket
     */
    static ChannelFuture respond(IscsiConnection connection, ScsiTask task, int status, byte[] sense, ByteBuf data) {
        try {
            long expected = Integer.toUnsignedLong(task.edtl);
            int produced = data == null ? 0 : data.readableBytes();
            long sendable = Math.min(produced, expected);
            boolean good = status == ScsiResponse.GOOD;
            int dataInCount = 0;
            if (task.readsData() && sendable > 0) {
                ChannelFuture last = dataIn(connection, task, data, (int) sendable, good ? status : -1,
                        expected, actualLength(task, produced));
                if (good) {
                    return last;
                }
                dataInCount = task.dataInPdus;
            }
            ScsiResponsePdu pdu = connection.scsiResponsePdu();
            pdu.initiatorTaskTag(task.itt);
            pdu.response(ScsiResponsePdu.COMMAND_COMPLETED);
            pdu.status(status);
            pdu.residual(expected, actualLength(task, produced));
            pdu.expDataSn(task.writesData() ? task.r2tSn : dataInCount);
            if (sense != null && sense.length > 0) {
                // RFC 7143 11.4.7.2: SenseLength (2 bytes) then the sense data.
                byte[] segment = new byte[2 + sense.length];
                segment[0] = (byte) (sense.length >> 8);
                segment[1] = (byte) sense.length;
                System.arraycopy(sense, 0, segment, 2, sense.length);
                pdu.data(segment);
            }
            return connection.send(pdu, true, task.dataHeld > 0);
        } finally {
            if (data != null) {
                data.release();
            }
        }
    }

    /**
     * The length residuals compare with ExpectedDataTransferLength (RFC 7143 11.4.5.1): the CDB's
     * transfer length when scsi-core reported one that EDTL does not cover (overflow); otherwise
     * for writes what scsi-core asked for, for reads what it produced.
     */
    static long actualLength(ScsiTask task, int produced) {
        long expected = Integer.toUnsignedLong(task.edtl);
        long cdbLength = task.transferLength() < 0 ? -1 : Integer.toUnsignedLong(task.transferLength());
        if (task.writesData() && !task.readsData()) {
            if (cdbLength >= 0) {
                return cdbLength;
            }
            return Math.max(task.requested, 0);
        }
        if (cdbLength > expected) {
            return Math.max(cdbLength, produced);
        }
        return produced;
    }

    /** A failure of the SCSI layer itself: iSCSI response "Target Failure" (RFC 7143 11.4.3). */
    static void failure(IscsiConnection connection, ScsiTask task) {
        ScsiResponsePdu pdu = new ScsiResponsePdu();
        pdu.initiatorTaskTag(task.itt);
        pdu.response(ScsiResponsePdu.TARGET_FAILURE);
        connection.send(pdu, true);
    }

    /**
     * Writes {@code length} bytes of {@code data} as Data-In PDUs.
     *
     * @param status the status to put in the last PDU, or -1 to send it in a SCSI Response
     * @return the write of the last Data-In PDU; {@link ScsiTask#dataInPdus} tells how many were sent
     */
    private static ChannelFuture dataIn(IscsiConnection connection, ScsiTask task, ByteBuf data, int length, int status,
            long expected, long produced) {
        int segment = connection.params().initiatorMaxRecvDataSegmentLength();
        int maxBurst = connection.params().intValue(ParameterTable.MAX_BURST_LENGTH);
        int offset = 0;
        int dataSn = 0;
        int burstLeft = maxBurst;
        int base = data.readerIndex();
        ChannelFuture written = null;
        while (offset < length) {
            int size = Math.min(Math.min(segment, length - offset), burstLeft);
            DataInPdu pdu = connection.dataInPdu();
            pdu.lun(task.lunField());
            pdu.initiatorTaskTag(task.itt);
            pdu.targetTransferTag(IscsiPdu.RESERVED_TAG);
            pdu.dataSn(dataSn++);
            pdu.bufferOffset(offset);
            pdu.data(data.retainedSlice(base + offset, size));
            offset += size;
            burstLeft -= size;
            boolean last = offset == length;
            if (burstLeft == 0 || last) {
                pdu.finalFlag(true); // end of a Data-In sequence (RFC 7143 11.7.1)
                burstLeft = maxBurst;
            }
            if (last && status >= 0) {
                pdu.hasStatus(true);
                pdu.status(status);
                pdu.residual(expected, produced);
                written = connection.send(pdu, true, task.dataHeld > 0);
            } else {
                written = connection.send(pdu, false, last && task.dataHeld > 0);
            }
        }
        task.dataInPdus = dataSn;
        return written;
    }

}
