package fr.spie.connector.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;

/**
 * Watches the bytes a parser reads: whether they hold UTF-8 multi-byte sequences and whether they are all valid
 * UTF-8. Text in a single-byte encoding (windows-1252, ISO-8859-1) with accented letters is practically never valid
 * UTF-8 ({@code é} is one byte followed by a letter), so bytes that are valid UTF-8 with multi-byte sequences in a
 * file that declares a single-byte encoding mean the declaration lies: every accented letter would be read as two.
 */
public final class Utf8Evidence extends FilterInputStream {
    private int continuationsExpected;
    private boolean multiByte;
    private boolean invalid;

    public Utf8Evidence(InputStream in) {
        super(in);
    }

    /** Whether every byte read so far is valid UTF-8 and at least one character took several bytes. */
    public boolean looksLikeUtf8() {
        return multiByte && !invalid && continuationsExpected == 0;
    }

    /**
     * Whether text read as {@code decodedAs} was in fact UTF-8: {@code decodedAs} is a single-byte encoding and the
     * bytes {@link #looksLikeUtf8() look like UTF-8}. Every accented letter was then read as two characters.
     */
    public boolean misread(Charset decodedAs) {
        return singleByte(decodedAs) && looksLikeUtf8();
    }

    /** Whether every character of the charset takes one byte (windows-1252, ISO-8859-1...). */
    public static boolean singleByte(Charset charset) {
        try {
            return charset.newEncoder().maxBytesPerChar() == 1.0f;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            see(b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        for (int i = 0; i < n; i++) {
            see(buffer[offset + i] & 0xff);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        invalid = true; // bytes not seen: no evidence either way
        return super.skip(n);
    }

    private void see(int b) {
        if (invalid) {
            return;
        }
        if (continuationsExpected > 0) {
            if ((b & 0xc0) == 0x80) {
                continuationsExpected--;
                if (continuationsExpected == 0) {
                    multiByte = true;
                }
            } else {
                invalid = true;
            }
        } else if (b >= 0xc2 && b <= 0xdf) {
            continuationsExpected = 1;
        } else if (b >= 0xe0 && b <= 0xef) {
            continuationsExpected = 2;
        } else if (b >= 0xf0 && b <= 0xf4) {
            continuationsExpected = 3;
        } else if (b >= 0x80) {
            invalid = true;
        }
    }
}
