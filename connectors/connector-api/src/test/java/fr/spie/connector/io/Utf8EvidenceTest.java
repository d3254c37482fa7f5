package fr.spie.connector.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8EvidenceTest {
    static final Charset CP1252 = Charset.forName("windows-1252");

    static Utf8Evidence readAll(byte[] bytes) throws IOException {
        Utf8Evidence e = new Utf8Evidence(new ByteArrayInputStream(bytes));
        byte[] buffer = new byte[3]; // sequences cut across reads
        while (e.read(buffer, 0, buffer.length) >= 0) {
            // reading is all
        }
        return e;
    }

    @Test
    void utf8AccentsReadAsASingleByteEncodingAreMisread() throws IOException {
        Utf8Evidence e = readAll("LEFÈVRE;Hélène;L’Œuvre".getBytes(StandardCharsets.UTF_8));
        assertThat(e.looksLikeUtf8()).isTrue();
        assertThat(e.misread(CP1252)).isTrue();
        assertThat(e.misread(StandardCharsets.ISO_8859_1)).isTrue();
        assertThat(e.misread(StandardCharsets.UTF_8)).isFalse();
    }

    @Test
    void singleByteTextAndAsciiAreNot() throws IOException {
        assertThat(readAll("LEFÈVRE;Hélène;L’Œuvre".getBytes(CP1252)).misread(CP1252)).isFalse();
        assertThat(readAll("MARTIN;CLAIRE".getBytes(StandardCharsets.US_ASCII)).misread(CP1252)).isFalse();
        // a cut sequence at the end is no proof
        byte[] cut = "é".getBytes(StandardCharsets.UTF_8);
        assertThat(readAll(new byte[] {'a', cut[0]}).looksLikeUtf8()).isFalse();
    }
}
