package io.jtgt.iscsi.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jtgt.iscsi.server.TransportSettings;
import io.jtgt.iscsi.text.TextParameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NegotiationTest {

    private static final TransportSettings SETTINGS =
            new TransportSettings(65536, 262144, 65536, true, false, 4, 32, 2, 0, 0);

    private final Negotiation negotiation = new Negotiation(new ParameterTable(SETTINGS, List.of("None")));

    private String answer(String key, String value) {
        TextParameters response = new TextParameters();
        negotiation.respond(List.of(Map.entry(key, value)), response, false);
        return response.get(key);
    }

    @Test
    void numericalMinTakesTheSmaller() {
        assertEquals("262144", answer("MaxBurstLength", "1048576"));
        assertEquals("131072", answer("MaxBurstLength", "131072"));
        assertEquals(131072, negotiation.intValue("MaxBurstLength"));
        assertEquals("1", answer("MaxOutstandingR2T", "1"));
        assertEquals("0", answer("ErrorRecoveryLevel", "2"), "we offer ERL 0");
    }

    @Test
    void numericalMaxTakesTheLarger() {
        assertEquals("2", answer("DefaultTime2Wait", "0"));
        assertEquals("20", answer("DefaultTime2Wait", "20"));
    }

    @Test
    void numbersOutsideTheRangeOrMalformedAreRejected() {
        assertEquals("Reject", answer("MaxBurstLength", "100"));
        assertEquals("Reject", answer("MaxBurstLength", "16777216"));
        assertEquals("Reject", answer("MaxOutstandingR2T", "0"));
        assertEquals("Reject", answer("DefaultTime2Wait", "3601"));
        assertEquals("Reject", answer("MaxBurstLength", "12ab"));
        assertEquals("262144", negotiation.value("MaxBurstLength"), "a rejected offer leaves the default");
        assertEquals("4096", answer("MaxBurstLength", "0x1000"), "hex numbers are numbers");
    }

    @Test
    void booleanAndNeedsBothYes() {
        assertEquals("Yes", answer("ImmediateData", "Yes"));
        assertEquals("No", answer("ImmediateData", "No"));
        assertEquals("No", answer("IFMarker", "Yes"));
        assertEquals("Reject", answer("ImmediateData", "yes"));
    }

    @Test
    void booleanOrNeedsOneYes() {
        assertEquals("No", answer("InitialR2T", "No"), "we accept InitialR2T=No");
        assertEquals("Yes", answer("InitialR2T", "Yes"));
        assertEquals("Yes", answer("DataPDUInOrder", "No"), "we insist on in-order data");
    }

    @Test
    void listPicksTheFirstSupportedValue() {
        assertEquals("None", answer("HeaderDigest", "CRC32C,None"));
        assertEquals("Reject", answer("DataDigest", "CRC32C"));
        Negotiation withDigests = new Negotiation(new ParameterTable(SETTINGS, List.of("CRC32C", "None")));
        TextParameters response = new TextParameters();
        withDigests.respond(List.of(Map.entry("HeaderDigest", "None,CRC32C")), response, false);
        assertEquals("None", response.get("HeaderDigest"), "the initiator's order wins");
    }

    @Test
    void declarativeMaxRecvDataSegmentLengthIsRecordedNotAnswered() {
        TextParameters response = new TextParameters();
        negotiation.respond(List.of(Map.entry("MaxRecvDataSegmentLength", "4096")), response, false);
        assertNull(response.get("MaxRecvDataSegmentLength"));
        assertEquals(4096, negotiation.initiatorMaxRecvDataSegmentLength());
        negotiation.declareOurLimits(response);
        negotiation.declareOurLimits(response);
        assertEquals("65536", response.get("MaxRecvDataSegmentLength"));
        assertEquals(1, response.pairs().size(), "declared once");
        assertEquals("Reject", answer("MaxRecvDataSegmentLength", "511"));
    }

    @Test
    void unknownKeysAreNotUnderstoodAndTargetKeysRejected() {
        assertEquals("NotUnderstood", answer("X-com.example.Foo", "1"));
        assertEquals("Reject", answer("OFMarkInt", "2048~8192"), "RFC 7143 13.25");
        assertEquals("Reject", answer("IFMarkInt", "2048~8192"));
        assertEquals("Reject", answer("TargetPortalGroupTag", "1"));
    }

    @Test
    void discoverySessionsCallSessionKeysIrrelevant() {
        negotiation.discovery(true);
        assertEquals("Irrelevant", answer("MaxBurstLength", "262144"));
        assertEquals("Irrelevant", answer("InitialR2T", "No"));
        assertEquals("None", answer("HeaderDigest", "None"));
    }

    @Test
    void firstBurstNeverExceedsMaxBurst() {
        TextParameters response = new TextParameters();
        Negotiation n = new Negotiation(new ParameterTable(
                new TransportSettings(65536, 262144, 262144, true, false, 4, 32, 2, 0, 0), List.of("None")));
        n.respond(List.of(Map.entry("FirstBurstLength", "262144"), Map.entry("MaxBurstLength", "65536")), response, false);
        assertEquals("65536", response.get("FirstBurstLength"));
        assertEquals(65536, n.intValue("FirstBurstLength"));
    }

    @Test
    void fullFeaturePhaseOnlyRenegotiatesMaxRecvDataSegmentLength() {
        TextParameters response = new TextParameters();
        negotiation.respond(List.of(Map.entry("MaxBurstLength", "512"), Map.entry("MaxRecvDataSegmentLength", "1024")),
                response, true);
        assertEquals("Reject", response.get("MaxBurstLength"));
        assertEquals(1024, negotiation.initiatorMaxRecvDataSegmentLength());
    }

    @Test
    void loginOnlyKeysAreRejectedInFullFeaturePhaseAndUnknownOnesNotUnderstood() {
        TextParameters response = new TextParameters();
        negotiation.respond(List.of(Map.entry("TargetName", "iqn.x"), Map.entry("AuthMethod", "None"),
                Map.entry("CHAP_A", "5"), Map.entry("SessionType", "Normal"), Map.entry("X#vendor", "1")),
                response, true);
        assertEquals("Reject", response.get("TargetName"));
        assertEquals("Reject", response.get("AuthMethod"));
        assertEquals("Reject", response.get("CHAP_A"));
        assertEquals("Reject", response.get("SessionType"));
        assertEquals("NotUnderstood", response.get("X#vendor"));
    }

    @Test
    void answersFromTheInitiatorAreNeverAnswered() {
        for (String value : List.of("NotUnderstood", "Irrelevant", "Reject")) {
            TextParameters response = new TextParameters();
            negotiation.respond(List.of(Map.entry("TargetAlias", value), Map.entry("MaxBurstLength", value)),
                    response, false);
            assertTrue(response.isEmpty(), value + " got an answer: " + response);
        }
        assertEquals("262144", negotiation.value("MaxBurstLength"), "the RFC default stays in force");
    }

    @Test
    void taskReportingAndProtocolLevel() {
        assertEquals("RFC3720", answer("TaskReporting", "ResponseFence,FastAbort,RFC3720"));
        assertEquals("Reject", answer("TaskReporting", "FastAbort"));
        assertEquals("1", answer("iSCSIProtocolLevel", "2"));
        assertEquals("0", answer("iSCSIProtocolLevel", "0"));
        assertEquals("Reject", answer("iSCSIProtocolLevel", "32"));
        negotiation.discovery(true);
        assertEquals("Irrelevant", answer("TaskReporting", "RFC3720"));
    }
}
