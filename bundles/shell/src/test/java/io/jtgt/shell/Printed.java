package io.jtgt.shell;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What a command printed, as text. */
final class Printed {

    /** A command's print step that may throw (most commands' run). */
    interface Printer {
        void printTo(PrintStream out) throws Exception;
    }

    private Printed() {}

    static String by(Printer printer) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        printer.printTo(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
