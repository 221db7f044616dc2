package io.jtgt.iscsi.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextParametersTest {

    @Test
    void parsesNulSeparatedPairsInOrder() {
        TextParameters p = TextParameters.parse("A=1\0B=x=y\0C=\0".getBytes(StandardCharsets.UTF_8));
        assertEquals(3, p.pairs().size());
        assertEquals("1", p.get("A"));
        assertEquals("x=y", p.get("B"), "only the first '=' separates");
        assertEquals("", p.get("C"));
        assertEquals("B", p.pairs().get(1).getKey());
    }

    @Test
    void encodesWithTrailingNul() {
        byte[] wire = new TextParameters().add("K", "v").add("L", "w").encode();
        assertArrayEquals("K=v\0L=w\0".getBytes(StandardCharsets.UTF_8), wire);
    }

    @Test
    void rejectsMalformedPairs() {
        assertThrows(TextFormatException.class, () -> TextParameters.parse("novalue\0".getBytes()));
        assertThrows(TextFormatException.class, () -> TextParameters.parse("=v\0".getBytes()));
        String longKey = "K".repeat(64);
        assertThrows(TextFormatException.class, () -> TextParameters.parse((longKey + "=v\0").getBytes()));
    }

    @Test
    void multiPduTextIsJoinedEvenInsideAPair() {
        TextAssembler assembler = new TextAssembler(100);
        assertTrue(assembler.append(Unpooled.wrappedBuffer("SendTar".getBytes())));
        assertTrue(assembler.append(Unpooled.wrappedBuffer("gets=All\0".getBytes())));
        assertEquals("All", TextParameters.parse(assembler.take()).get("SendTargets"));
        assertTrue(assembler.isEmpty());
        assertFalse(assembler.append(Unpooled.wrappedBuffer(new byte[101])));
    }

    @Test
    void splitterCutsToThePeerLimit() {
        TextSplitter splitter = new TextSplitter(new byte[10], 4);
        assertEquals(4, splitter.next().length);
        assertEquals(4, splitter.next().length);
        assertTrue(splitter.hasMore());
        assertEquals(2, splitter.next().length);
        assertFalse(splitter.hasMore());
    }
}
