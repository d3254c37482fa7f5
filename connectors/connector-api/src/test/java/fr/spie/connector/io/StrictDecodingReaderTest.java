package fr.spie.connector.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnmappableCharacterException;
import org.junit.jupiter.api.Test;

class StrictDecodingReaderTest {

    private static StrictDecodingReader reader(byte[] bytes, Charset charset) {
        return new StrictDecodingReader(new ByteArrayInputStream(bytes), charset);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Lines read with readLine before the decoding error came, the way the connectors count them. */
    private static long linesBeforeTheError(Reader decoding) throws IOException {
        BufferedReader lines = new BufferedReader(decoding, 64 * 1024);
        long n = 0;
        try {
            while (lines.readLine() != null) {
                n++;
            }
        } catch (CharacterCodingException e) {
            return n;
        }
        throw new AssertionError("no decoding error");
    }

    /** 200,000 lines of text with 2-, 3- and 4-byte UTF-8 sequences, so that some cross every buffer boundary. */
    private static String largeText() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            sb.append("ligne ").append(i).append(" é€𝄞").append("x".repeat(i % 7)).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        return sb.toString();
    }

    @Test
    void validTextReadsAsTheJdkDecodesIt() throws IOException {
        String text = largeText();
        StringWriter all = new StringWriter();
        try (Reader r = reader(utf8(text), StandardCharsets.UTF_8)) {
            r.transferTo(all);
            assertThat(r.read(new char[10], 0, 10)).isEqualTo(-1);
        }
        assertThat(all.toString()).isEqualTo(text);
        // one character at a time: a surrogate pair split over two calls
        StringBuilder one = new StringBuilder();
        char[] c = new char[1];
        Reader r = reader(utf8("a𝄞é"), StandardCharsets.UTF_8);
        while (r.read(c, 0, 1) == 1) {
            one.append(c[0]);
        }
        assertThat(one).hasToString("a𝄞é");
        Reader bad = reader(concat(utf8("𝄞"), new byte[] {(byte) 0xFF}), StandardCharsets.UTF_8);
        assertThat(bad.read(c, 0, 1)).isEqualTo(1);
        assertThat(bad.read(c, 0, 1)).isEqualTo(1);
        assertThat(c[0]).isEqualTo("𝄞".charAt(1));
        assertThatThrownBy(() -> bad.read(c, 0, 1)).isInstanceOf(MalformedInputException.class);
        assertThatThrownBy(() -> bad.read(c, 0, 1)).isInstanceOf(MalformedInputException.class);
        assertThat(reader(new byte[0], StandardCharsets.UTF_8).read(new char[4], 0, 4)).isEqualTo(-1);
        assertThat(reader(new byte[1], StandardCharsets.UTF_8).read(new char[4], 1, 0)).isZero();
    }

    @Test
    void theTextBeforeTheBadBytesComesFirstThenTheErrorAgainAndAgain() throws IOException {
        Reader r = reader(concat(utf8("ab\ncd"), new byte[] {(byte) 0xFF}, utf8("ef\n")), StandardCharsets.UTF_8);
        char[] buf = new char[100];
        assertThat(new String(buf, 0, r.read(buf, 0, buf.length))).isEqualTo("ab\ncd");
        assertThatThrownBy(() -> r.read(buf, 0, buf.length)).isInstanceOf(MalformedInputException.class);
        assertThatThrownBy(() -> r.read(buf, 0, buf.length)).isInstanceOf(MalformedInputException.class);
    }

    @Test
    void theCallerCountingLinesKnowsTheLineOfTheBadBytes() throws IOException {
        String text = largeText();
        int cut = text.indexOf("ligne 150000 ") + 8;
        byte[] bad = concat(utf8(text.substring(0, cut)), new byte[] {(byte) 0xC3, '('}, utf8(text.substring(cut)));
        // line 150,001 holds the bad bytes: 150,000 lines were read before it
        assertThat(linesBeforeTheError(reader(bad, StandardCharsets.UTF_8))).isEqualTo(150_000);
        // which the JDK's own reader loses: it throws with the 64K characters read ahead
        Reader jdk = new InputStreamReader(new ByteArrayInputStream(bad), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT));
        assertThat(linesBeforeTheError(jdk)).isLessThan(150_000);
        // bad bytes first on a line, after CRLF, after CR, and as the very first bytes
        assertThat(linesBeforeTheError(reader(concat(utf8("a\r\nb\r\n"), new byte[] {(byte) 0x80}), StandardCharsets.UTF_8)))
                .isEqualTo(2);
        assertThat(linesBeforeTheError(reader(concat(utf8("a\rb\r"), new byte[] {(byte) 0x80}), StandardCharsets.UTF_8)))
                .isEqualTo(2);
        assertThat(linesBeforeTheError(reader(new byte[] {(byte) 0x80, '\n'}, StandardCharsets.UTF_8))).isZero();
    }

    @Test
    void aSequenceCutByTheEndOfTheInputIsMalformed() throws IOException {
        Reader r = reader(concat(utf8("ok\n"), new byte[] {(byte) 0xE2, (byte) 0x82}), StandardCharsets.UTF_8);
        assertThat(linesBeforeTheError(r)).isEqualTo(1);
        assertThatThrownBy(() -> r.read(new char[4], 0, 4)).isInstanceOf(MalformedInputException.class);
    }

    @Test
    void aByteWithoutCharacterInTheCharsetIsUnmappable() throws IOException {
        // 0x81 has no character in windows-1252; every other byte here has one
        Charset cp1252 = Charset.forName("windows-1252");
        Reader r = reader(concat("Œuvre\n€\n".getBytes(cp1252), new byte[] {'x', (byte) 0x81}), cp1252);
        char[] buf = new char[100];
        assertThat(new String(buf, 0, r.read(buf, 0, buf.length))).isEqualTo("Œuvre\n€\nx");
        assertThatThrownBy(() -> r.read(buf, 0, buf.length)).isInstanceOf(UnmappableCharacterException.class);
    }

    @Test
    void closeClosesTheStream() throws IOException {
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream(new byte[0]) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        new StrictDecodingReader(in, StandardCharsets.ISO_8859_1).close();
        assertThat(closed[0]).isTrue();
    }
}
