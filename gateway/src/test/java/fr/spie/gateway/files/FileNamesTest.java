package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileNamesTest {

    @Test
    void temporaryAndHiddenNamesAreBeingWritten() {
        assertThat(List.of("x.xml.part", "x.xml.tmp", "x.xml.filepart", "X.XML.PART", "x.Tmp", ".x.xml"))
                .allSatisfy(name -> assertThat(FileNames.beingWritten(name)).as(name).isTrue());
        assertThat(List.of("RSABEM_202502.xml", "export.csv", "departement.json", "partners.xml"))
                .allSatisfy(name -> assertThat(FileNames.beingWritten(name)).as(name).isFalse());
    }

    @Test
    void invisibleAndDirectionChangingCharactersAreRefused() {
        // shown as RSABEM_exe.xml by anything that honours the right-to-left override
        assertThat(FileNames.problem("RSABEM_\u202Elmx.exe")).hasValue(
                "the file name contains an invisible or direction-changing character (U+202E)");
        assertThat(FileNames.problem("RSABEM\u200B_202502.xml")).isPresent(); // zero-width space
        assertThat(FileNames.problem("RSABEM\u2028.xml")).isPresent(); // line separator
        assertThat(FileNames.problem("RSABEM\uD800.xml")).isPresent(); // half a surrogate pair
        assertThat(FileNames.printable("a\u202Eb")).isEqualTo("a?b");
        // accents, other scripts and characters beyond the BMP are fine
        assertThat(FileNames.problem("Relevé_été_Ærø_日本_\uD83D\uDCC4.csv")).isEmpty();
    }

    @Test
    void aNameIsCutToItsBytesWithoutSplittingACharacter() {
        assertThat(FileNames.truncated("RSABEM_202502.xml", 200)).isEqualTo("RSABEM_202502.xml");
        assertThat(FileNames.truncated("ééé", 5)).isEqualTo("éé"); // 2 bytes each: the third does not fit
        assertThat(FileNames.truncated("a\uD83D\uDCC4b", 4)).isEqualTo("a"); // the emoji takes 4 bytes
        String cut = FileNames.truncated("é".repeat(150), InboxWatcher.CLAIMED_NAME_BYTES);
        assertThat(cut.getBytes(StandardCharsets.UTF_8)).hasSize(InboxWatcher.CLAIMED_NAME_BYTES);
    }
}
