package io.jtgt.iscsi.session;

import io.jtgt.iscsi.pdu.IscsiPdu;
import io.jtgt.iscsi.pdu.RejectPdu;
import io.jtgt.iscsi.pdu.TextRequestPdu;
import io.jtgt.iscsi.pdu.TextResponsePdu;
import io.jtgt.iscsi.text.TextAssembler;
import io.jtgt.iscsi.text.TextFormatException;
import io.jtgt.iscsi.text.TextParameters;
import io.jtgt.iscsi.text.TextSplitter;
import io.jtgt.scsi.api.ScsiTarget;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Text Requests in full feature phase (RFC 7143 11.10/11.11): SendTargets (Appendix C) and
 * MaxRecvDataSegmentLength renegotiation, with multi-PDU requests (C bit) and long answers
 * split over several Text Responses, each continued by an empty request carrying our TTT.
 */
final class TextExchange {

    private static final int MAX_TEXT = 64 * 1024;

    private final IscsiConnection connection;
    private final DiscoveryDirectory directory;
    private final TextAssembler incoming = new TextAssembler(MAX_TEXT);
    private TextSplitter outgoing;
    private int outgoingTag = IscsiPdu.RESERVED_TAG;

    TextExchange(IscsiConnection connection, DiscoveryDirectory directory) {
        this.connection = connection;
        this.directory = directory;
    }

    void request(TextRequestPdu pdu) {
        int tag = pdu.targetTransferTag();
        if (tag != IscsiPdu.RESERVED_TAG) {
            if (outgoing == null || tag != outgoingTag) {
                throw new ProtocolViolation(RejectPdu.INVALID_PDU_FIELD,
                        "Text Request continues unknown TTT 0x" + Integer.toHexString(tag));
            }
            sendPiece(pdu);
            return;
        }
        // A new request resets any unfinished answer (RFC 7143 11.10.4).
        outgoing = null;
        if (!incoming.append(pdu.data())) {
            incoming.take();
            throw new ProtocolViolation(RejectPdu.PROTOCOL_ERROR, "text request over " + MAX_TEXT + " bytes");
        }
        if (pdu.continueFlag()) {
            TextResponsePdu ack = response(pdu);
            ack.targetTransferTag(IscsiPdu.RESERVED_TAG);
            connection.send(ack, true);
            return;
        }
        TextParameters keys;
        try {
            keys = TextParameters.parse(incoming.take());
        } catch (TextFormatException e) {
            throw new ProtocolViolation(RejectPdu.PROTOCOL_ERROR, e.getMessage());
        }
        TextParameters answer = new TextParameters();
        List<Map.Entry<String, String>> negotiable = new ArrayList<>();
        for (Map.Entry<String, String> pair : keys.pairs()) {
            if (pair.getKey().equals("SendTargets")) {
                sendTargets(pair.getValue(), answer);
            } else {
                negotiable.add(pair);
            }
        }
        connection.params().respond(negotiable, answer, true);
        connection.session().parameters(connection.params().snapshot()); // management's view
        outgoing = new TextSplitter(answer.encode(), connection.params().initiatorMaxRecvDataSegmentLength());
        sendPiece(pdu);
    }

    private void sendPiece(TextRequestPdu pdu) {
        TextResponsePdu response = response(pdu);
        byte[] piece = outgoing.next();
        if (piece.length > 0) {
            response.data(piece);
        }
        if (outgoing.hasMore()) {
            response.continueFlag(true);
            outgoingTag = connection.allocateTag();
            response.targetTransferTag(outgoingTag);
        } else {
            response.finalFlag(true);
            response.targetTransferTag(IscsiPdu.RESERVED_TAG);
            outgoing = null;
            outgoingTag = IscsiPdu.RESERVED_TAG;
        }
        connection.send(response, true);
    }

    private static TextResponsePdu response(TextRequestPdu pdu) {
        TextResponsePdu response = new TextResponsePdu();
        response.lun(pdu.lun());
        response.initiatorTaskTag(pdu.initiatorTaskTag());
        return response;
    }

    /**
     * RFC 7143 Appendix C: a discovery session may ask for All or one target; a normal session
     * learns only about its own target (empty value or its name).
     */
    private void sendTargets(String value, TextParameters answer) {
        IscsiSession session = connection.session();
        List<ScsiTarget> targets = new ArrayList<>();
        if (session.discovery()) {
            if (value.equals("All")) {
                targets.addAll(connection.context().login().registry().allTargets());
            } else if (!value.isEmpty()) {
                connection.context().login().registry().target(value).ifPresent(targets::add);
            }
        } else {
            ScsiTarget own = session.target();
            if (value.isEmpty() || value.equals("All") || value.equals(own.name())) {
                targets.add(own);
            }
        }
        InetSocketAddress local = connection.channel().localAddress() instanceof InetSocketAddress inet ? inet
                : new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
        io.jtgt.iscsi.login.Authenticator access = connection.context().login().authenticator();
        for (ScsiTarget target : targets) {
            if (!access.authorized(session.initiatorName(), target.name())) {
                continue; // an initiator not on the target's list never learns it exists
            }
            answer.add("TargetName", target.name());
            for (String address : directory.addresses(target, local)) {
                answer.add("TargetAddress", address);
            }
        }
    }
}
