package fr.spie.connector.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Every file of the shared real samples ({@code ../shared/partner-formats}, see its SOURCES.md) and who runs it: the
 * connector module whose {@code RealSamplesConformanceTest} reads it with a specific expectation, or why no connector
 * does. Each module's conformance test checks that no file of the folder is left out of this list (a sample added to
 * the folder must be triaged) and that it runs every file listed for it.
 */
public final class RealSampleInventory {

    /** A connector module that runs the file ({@code caf}, {@code france-travail}...), or null with the reason. */
    public record Entry(String module, String reason) {
        static Entry runBy(String module) {
            return new Entry(module, null);
        }

        static Entry none(String reason) {
            return new Entry(null, reason);
        }
    }

    private static final String CDB = "carnet-de-bord/";

    /** Files, by path under partner-formats. */
    private static final Map<String, Entry> FILES = Map.ofEntries(
            Map.entry(CDB + "RSABEM.xml", Entry.runBy("caf")),
            Map.entry(CDB + "RSABEM-ouvert.xml", Entry.runBy("caf")),
            Map.entry(CDB + "RSABEI.xml", Entry.runBy("caf")),
            Map.entry(CDB + "RSABEI_invalid.xml", Entry.runBy("caf")),
            Map.entry(CDB + "MSABEI.xml", Entry.runBy("caf")),
            Map.entry(CDB + "MSABEM.xml", Entry.runBy("caf")),
            Map.entry(CDB + "vrsb0801.xsd", Entry.runBy("caf")),
            Map.entry(CDB + "test_parse_infos_foyer.test_parse_caf_file.approved.json", Entry.runBy("caf")),
            Map.entry(CDB + "i03300c.j.extract_spie_carnet_spie_carnet_de_bord_principal.csv",
                    Entry.runBy("france-travail")),
            Map.entry(CDB + "pe_diagnosticargumente_dossier_individu.json", Entry.runBy("france-travail")),
            Map.entry(CDB + "test_pole_emploi_client.test_get_dossier_individu_nominal.approved.json",
                    Entry.runBy("france-travail")),
            Map.entry(CDB + "test_pe_api_client.test_get_contraintes.approved.json", Entry.runBy("france-travail")),
            Map.entry(CDB + "import_beneficiaires.csv", Entry.runBy("departement")),
            Map.entry(CDB + "import_beneficiaires_with_all_date_formats.csv", Entry.runBy("departement")),
            Map.entry(CDB + "import_reorientation.csv", Entry.runBy("departement")),
            Map.entry(CDB + "import_charges_orientation.csv", Entry.runBy("departement")),
            Map.entry(CDB + "import_professionnels.csv", Entry.runBy("departement")),
            Map.entry(CDB + "import_structures.csv", Entry.runBy("departement")),
            Map.entry("imilo/extracted_sue_dossier_milo_example.json", Entry.runBy("mission-locale")),
            Map.entry(CDB + "pe_rechercher_usager_responses.json", Entry.none("rechercher-usager v1 answers"
                    + " (identifiant, no jetonUsager): FranceTravailApiClient calls v2 (jetonUsager), whose shapes"
                    + " FranceTravailApiClientTest covers")),
            Map.entry(CDB + "pe_referentielagences_agences.json", Entry.none("France Travail agencies referential:"
                    + " no SPIE record type")),
            Map.entry(CDB + "actions_example.csv", Entry.none("France Travail actions extract: no connector reads it"
                    + " yet (no SPIE record type for France Travail actions)")),
            Map.entry(CDB + "categorisation_des_actions_du_fichier_PE.csv", Entry.none("Carnet de bord's own"
                    + " action label → theme table for actions_example.csv")),
            Map.entry(CDB + "marne_api_fixtures.json", Entry.none("Marne département API answer: no mapping of it"
                    + " yet (the département connector reads files described by a mapping)")),
            Map.entry(CDB + "export_notebook.json", Entry.none("Carnet de bord notebook export: not a partner input")),
            Map.entry(CDB + "schema.graphql", Entry.none("Carnet de bord data model: not a sample")),
            Map.entry(CDB + "test_refresh_situations.test_saves_the_new_pe_diagnostic_into_external_data.approved.json",
                    Entry.none("Carnet de bord's stored external_data record: not a partner input")),
            Map.entry("imilo/referentiel_structures_milo.json", Entry.none("missions locales referential:"
                    + " no SPIE record type")),
            Map.entry("imilo/agences_pe.json", Entry.none("France Travail agencies referential: no SPIE record type")),
            Map.entry("FORMATS.md", Entry.none("research notes")),
            Map.entry("SOURCES.md", Entry.none("research notes")),
            Map.entry("vrsb0801_tree.txt", Entry.none("research notes (tree of vrsb0801.xsd)")),
            Map.entry("webrsa_ali_xsd_trees.txt", Entry.none("research notes")),
            Map.entry("webrsa_talend_cnaf_xpaths.txt", Entry.none("research notes")));

    /** Whole folders, by path prefix under partner-formats. */
    private static final Map<String, Entry> FOLDERS = Map.of(
            "api-particulier/", Entry.none("API Particulier: no SPIE connector calls it yet"),
            "data-inclusion/", Entry.none("data·inclusion support offer: a later SPIE record type (DOMAIN.md)"));

    private RealSampleInventory() {
    }

    /**
     * The shared partner-formats folder: system property {@code spie.shared-dir} (set by the parent pom), else
     * {@code ../../../shared} from the module; empty when it is not there (fresh clone without ../shared).
     */
    public static Optional<Path> partnerFormats() {
        String prop = System.getProperty("spie.shared-dir");
        for (Path shared : prop != null && !prop.isBlank() ? List.of(Path.of(prop), Path.of("../../../shared"))
                : List.of(Path.of("../../../shared"))) {
            Path dir = shared.resolve("partner-formats");
            if (Files.isDirectory(dir)) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** The entry of a file (path under partner-formats, '/'-separated), or null when it is not triaged. */
    public static Entry entryOf(String path) {
        Entry e = FILES.get(path);
        if (e != null) {
            return e;
        }
        for (Map.Entry<String, Entry> folder : FOLDERS.entrySet()) {
            if (path.startsWith(folder.getKey())) {
                return folder.getValue();
            }
        }
        return null;
    }

    /** The files of the folder that this inventory does not name, sorted. */
    public static List<String> untriaged(Path partnerFormats) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(partnerFormats)) {
            files.filter(Files::isRegularFile)
                    .map(p -> partnerFormats.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> entryOf(p) == null)
                    .sorted()
                    .forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The files the inventory gives to {@code module}, sorted. */
    public static SortedSet<String> runBy(String module) {
        SortedSet<String> out = new TreeSet<>();
        FILES.forEach((path, e) -> {
            if (module.equals(e.module())) {
                out.add(path);
            }
        });
        return out;
    }
}
