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
    void aNameIsCutToItsBytesWithoutSplittingACharacter() {
        assertThat(FileNames.truncated("RSABEM_202502.xml", 200)).isEqualTo("RSABEM_202502.xml");
        assertThat(FileNames.truncated("ééé", 5)).isEqualTo("éé"); // 2 bytes each: the third does not fit
        assertThat(FileNames.truncated("a\uD83D\uDCC4b", 4)).isEqualTo("a"); // the emoji takes 4 bytes
        String cut = FileNames.truncated("é".repeat(150), InboxWatcher.CLAIMED_NAME_BYTES);
        assertThat(cut.getBytes(StandardCharsets.UTF_8)).hasSize(InboxWatcher.CLAIMED_NAME_BYTES);
    }
}
