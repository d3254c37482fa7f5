package fr.spie.gateway.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.ledger.CanonicalJson;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The writer's direct entry serialisation is byte for byte the canonical JSON of the entry's members. */
class AuditRowEntryPropertyTest {

    @Property(tries = 500)
    void entryIsTheCanonicalJsonOfTheEntryFields(@ForAll("rows") AuditRow row, @ForAll("indexes") long index) {
        assertThat(row.entry(index)).isEqualTo(CanonicalJson.toBytes(row.entryFields(index)));
    }

    @Provide
    Arbitrary<Long> indexes() {
        return Arbitraries.longs().between(0, (1L << 53) - 1);
    }

    @Provide
    Arbitrary<AuditRow> rows() {
        // nulls, quotes, backslashes, controls, non-ASCII and surrogate pairs: everything the escaping treats apart
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().withChars("aZ09 \"\\/\b\f\n\r\t\u0001\u001féàœ€").ofMaxLength(40),
                Arbitraries.of("😀", "a😀\"b", "\u007f\u0080\u2028"),
                Arbitraries.strings().ofMaxLength(20).filter(AuditRowEntryPropertyTest::noLoneSurrogate))
                .injectNull(0.2);
        Arbitrary<Instant> at = Arbitraries.longs().between(0, 4_102_444_800_000L).map(Instant::ofEpochMilli);
        Arbitrary<Long> seq = Arbitraries.longs().between(1, (1L << 53) - 1);
        return net.jqwik.api.Combinators.combine(seq, at, text.list().ofSize(13)).as((s, t, v) -> new AuditRow(s, t,
                v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5), v.get(6), v.get(7), v.get(8), v.get(9),
                v.get(10), v.get(11), v.get(12), null, null));
    }

    private static boolean noLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
