package fr.spie.gateway.ledger.export;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.export.WellFormedEventLine.PassingEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The by-position reading of event lines: it recognises the lines the gateway writes, with the index and leaf hash
 * the token reader finds, and leaves every other line to the slower readers (null) rather than judge it.
 */
class CanonicalEventLineTest {
    private static final String ENTRY = "{\"actor\":\"caf-51\",\"eventType\":\"RECEIVED\",\"exchangeId\":"
            + "\"00000000-0000-5e1e-0000-000000000007\",\"ledgerIndex\":7,\"recordType\":\"rsa-situation\"}";

    private final MerkleHash hasher = new MerkleHash();

    @Test
    void aLineAsTheGatewayWritesItIsReadByPosition() {
        String line = written(7, ENTRY);
        PassingEvent event = CanonicalEventLine.passing(line, hasher);

        assertThat(event).isNotNull();
        assertThat(event.index()).isEqualTo(7);
        assertThat(event.leaf()).isEqualTo(MerkleHash.leafHash(ENTRY.getBytes(StandardCharsets.UTF_8)));
        assertThat(WellFormedEventLine.passing(line, hasher).leaf()).isEqualTo(event.leaf());
    }

    @Test
    void anEntryWithEscapedQuotesBackslashesAndAccentsIsHashedAsItsUtf8Text() {
        String entry = "{\"detail\":\"consentement retir\u00e9 \\\"\\\\ \uD83D\uDE00\",\"ledgerIndex\":12}";
        String line = written(12, entry);
        PassingEvent event = CanonicalEventLine.passing(line, hasher);

        assertThat(event).isNotNull();
        assertThat(event.leaf()).isEqualTo(MerkleHash.leafHash(entry.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void whatIsNotCharacterForCharacterTheGatewaysLineIsLeftToTheOtherReaders() {
        String line = written(7, ENTRY);
        String leaf = MerkleHash.hex(MerkleHash.leafHash(ENTRY.getBytes(StandardCharsets.UTF_8)));
        String[] others = {
            line.replace("{\"record\":\"event\",", "{ \"record\":\"event\","),              // a space
            line.replace("\"entry\":\"{", "\"entry\":\"\\u007b"),                        // another escape
            line.replace("\"ledgerIndex\":7,\"leafHash\"", "\"ledgerIndex\":07,\"leafHash\""), // not JSON
            line.replace("\"ledgerIndex\":7,\"leafHash\"", "\"ledgerIndex\":7.0,\"leafHash\""),
            line.replace(leaf, leaf.substring(0, 5) + "\u0663" + leaf.substring(6)),      // an Arabic-Indic digit
            line.replace(leaf, leaf.substring(0, 63)),
            line + " ",
            line.substring(0, line.length() - 1) + ",\"proofTreeSize\":8}",
            line.replace("\"ledgerIndex\":7,\"leafHash\"", "\"ledgerIndex\":1234567890123456789,\"leafHash\""),
        };
        for (String other : others) {
            assertThat(CanonicalEventLine.passing(other, hasher)).as(other).isNull();
        }
        // the token reader still recognises the harmless ones
        assertThat(WellFormedEventLine.passing(others[0], hasher)).isNotNull();
        assertThat(WellFormedEventLine.passing(others[1], hasher)).isNotNull();
        assertThat(WellFormedEventLine.passing(others[6], hasher)).isNotNull();
    }

    @Test
    void aLineThatWouldFailIsNeverRecognised() {
        String tampered = written(7, ENTRY).replace("RECEIVED", "DELIVERED");
        String elsewhere = written(7, ENTRY.replace("\"ledgerIndex\":7", "\"ledgerIndex\":8"));
        String notAnObject = written(7, "[" + ENTRY + "]");
        String zeroAfterBrace = written(7, "{\u0000" + ENTRY.substring(1));

        assertThat(CanonicalEventLine.passing(tampered, hasher)).isNull();
        assertThat(CanonicalEventLine.passing(elsewhere, hasher)).isNull();
        assertThat(CanonicalEventLine.passing(notAnObject, hasher)).isNull();
        assertThat(CanonicalEventLine.passing(zeroAfterBrace, hasher)).isNull();
        assertThat(WellFormedEventLine.passing(zeroAfterBrace, hasher)).isNull();
    }

    /** The event line the gateway's export writer writes for {@code entry} at {@code index}. */
    private static String written(long index, String entry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExportCodec.RecordWriter writer = new ExportCodec.RecordWriter(out, ExportCodec.Format.JSONL)) {
            writer.write(ExportRecord.event(index, MerkleHash.leafHash(entry.getBytes(StandardCharsets.UTF_8)), entry,
                    null, null));
        }
        return out.toString(StandardCharsets.UTF_8).strip();
    }
}
