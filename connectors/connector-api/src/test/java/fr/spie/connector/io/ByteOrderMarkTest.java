package fr.spie.connector.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteOrderMarkTest {

    private static final Charset CP1252 = Charset.forName("windows-1252");

    private static InputStream bytes(int... b) {
        byte[] a = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            a[i] = (byte) b[i];
        }
        return new BufferedInputStream(new ByteArrayInputStream(a));
    }

    @Test
    void utf8MarkIsSkippedAndDeclaresUtf8WhateverIsConfigured() throws IOException {
        InputStream in = bytes(0xEF, 0xBB, 0xBF, 'a', 0xC3, 0xA9);
        ByteOrderMark bom = ByteOrderMark.skip(in);
        assertThat(bom).isEqualTo(ByteOrderMark.UTF_8);
        assertThat(bom.isUtf16()).isFalse();
        assertThat(bom.charsetOr(CP1252)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(bom.charsetOr(StandardCharsets.ISO_8859_1)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(new String(in.readAllBytes(), bom.charsetOr(CP1252))).isEqualTo("aé");
    }

    @Test
    void onlyTheMarkIsSkipped() throws IOException {
        InputStream in = bytes(0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF);
        assertThat(ByteOrderMark.skip(in)).isEqualTo(ByteOrderMark.UTF_8);
        assertThat(in.readAllBytes()).containsExactly(0xEF, 0xBB, 0xBF);
    }

    @Test
    void withoutMarkNothingIsConsumedAndTheConfiguredCharsetIsKept() throws IOException {
        InputStream in = bytes('I', 'd', ';', 0xE9);
        ByteOrderMark bom = ByteOrderMark.skip(in);
        assertThat(bom).isEqualTo(ByteOrderMark.NONE);
        assertThat(bom.isUtf16()).isFalse();
        assertThat(bom.charsetOr(CP1252)).isEqualTo(CP1252);
        assertThat(in.readAllBytes()).containsExactly('I', 'd', ';', 0xE9);
    }

    @Test
    void aPartialUtf8MarkIsNoMark() throws IOException {
        InputStream in = bytes(0xEF, 0xBB, 'x');
        assertThat(ByteOrderMark.skip(in)).isEqualTo(ByteOrderMark.NONE);
        assertThat(in.readAllBytes()).containsExactly(0xEF, 0xBB, 'x');
        assertThat(ByteOrderMark.skip(bytes(0xEF, 0xBB))).isEqualTo(ByteOrderMark.NONE);
    }

    @Test
    void shortOrEmptyInputHasNoMark() throws IOException {
        assertThat(ByteOrderMark.skip(bytes())).isEqualTo(ByteOrderMark.NONE);
        InputStream one = bytes(0xFF);
        assertThat(ByteOrderMark.skip(one)).isEqualTo(ByteOrderMark.NONE);
        assertThat(one.readAllBytes()).containsExactly(0xFF);
    }

    @Test
    void utf16MarksAreRecognisedAndLeftInTheStream() throws IOException {
        InputStream be = bytes(0xFE, 0xFF, 0, 'a');
        assertThat(ByteOrderMark.skip(be)).isEqualTo(ByteOrderMark.UTF_16BE);
        assertThat(be.readAllBytes()).containsExactly(0xFE, 0xFF, 0, 'a');
        InputStream le = bytes(0xFF, 0xFE, 'a', 0);
        assertThat(ByteOrderMark.skip(le)).isEqualTo(ByteOrderMark.UTF_16LE);
        assertThat(le.readAllBytes()).containsExactly(0xFF, 0xFE, 'a', 0);
        // two bytes are enough
        assertThat(ByteOrderMark.skip(bytes(0xFF, 0xFE))).isEqualTo(ByteOrderMark.UTF_16LE);
        assertThat(ByteOrderMark.UTF_16BE.isUtf16()).isTrue();
        assertThat(ByteOrderMark.UTF_16LE.isUtf16()).isTrue();
        assertThat(ByteOrderMark.UTF_16LE.charsetOr(CP1252)).isEqualTo(StandardCharsets.UTF_16LE);
    }

    @Test
    void aStreamWithoutMarkSupportIsRefused() {
        InputStream plain = new FilterInputStream(new ByteArrayInputStream(new byte[] {'a'})) {
            @Override
            public boolean markSupported() {
                return false;
            }
        };
        assertThatThrownBy(() -> ByteOrderMark.skip(plain)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mark/reset");
    }

    @Test
    void theTextAfterAUtf8MarkDecodesStrictly() throws IOException {
        InputStream in = bytes(0xEF, 0xBB, 0xBF, 'L', 0xC3, 0xA9, '\n');
        ByteOrderMark bom = ByteOrderMark.skip(in);
        try (var reader = new java.io.BufferedReader(new StrictDecodingReader(in, bom.charsetOr(CP1252)))) {
            assertThat(reader.readLine()).isEqualTo("Lé");
        }
    }
}
