package fr.spie.connector.departement;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.connector.SpieRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * CSV injection (OWASP): a free-text value another partner sent, starting with {@code =}, {@code @}, {@code +} or
 * {@code -} (other than a number or a phone number), a tab or a carriage return, is run as a formula by the
 * spreadsheet a département agent opens the export with. Such cells are written with a leading {@code '}; dates,
 * code lists, booleans, numbers, phone numbers, NIRs and identifiers are written as they are.
 */
class CsvExportFormulaInjectionTest {

    @TempDir
    Path outbox;

    static final FileMapping MAPPING = FileMapping.fromMap(Map.of(
            "name", "formulas",
            "fields", List.of(
                    field("Nom", "person:/birthName"),
                    field("Nom d'usage", "person:/usageName"),
                    Map.of("column", "Prénoms", "target", "person:/givenNames", "transforms", List.of("split-list")),
                    field("Adresse", "person:/contact/address/line"),
                    field("Ville", "person:/contact/address/communeName"),
                    field("Téléphone", "person:/contact/phone"),
                    field("Téléphone 2", "person:/contact/mobile"),
                    field("NIR", "person:/nir"),
                    Map.of("column", "Date de naissance", "target", "person:/birthDate", "transforms", List.of("date")),
                    Map.of("column", "Sexe", "target", "person:/sex", "values", Map.of("-", "M", "=F", "F")),
                    Map.of("column", "Certifié", "target", "person:/nirCertified", "transforms", List.of("boolean")),
                    Map.of("column", "Solde", "target", "person:/balance", "transforms", List.of("integer")),
                    field("Montant", "person:/amount"),
                    field("Commentaire", "person:/comment"),
                    field("Note", "person:/note"),
                    Map.of("column", "Identifiant", "target", "person:/identifiers", "identifierScheme", "departement-id")),
            "records", List.of(Map.of("recordType", "person"))));

    static Map<String, Object> field(String column, String target) {
        return Map.of("column", column, "target", target);
    }

    @Test
    void hostileTextCellsAreNeutralisedAndLegitimateValuesAreWrittenAsTheyAre() throws Exception {
        ObjectNode payload = (ObjectNode) JsonMapper.builder().build().readTree("""
                {"birthName": "=HYPERLINK(\\"http://x\\",\\"y\\")",
                 "usageName": "\\t=1+1",
                 "givenNames": ["@SUM(A1)", "Jean"],
                 "contact": {"address": {"line": "+cmd|' /C calc'!A0", "communeName": "-2+3+cmd"},
                             "phone": "+33612345678", "mobile": "+33 6 12 34 56 78"},
                 "nir": "2820251108030",
                 "birthDate": "1982-02-11",
                 "sex": "M",
                 "nirCertified": true,
                 "balance": -12,
                 "amount": "-12,50",
                 "comment": "\\r=cmd",
                 "note": "-",
                 "identifiers": [{"scheme": "departement-id", "value": "@D-001"}]}
                """);
        SpieRecord person = new SpieRecord("person", payload.deepCopy(), payload, "exchange 1", null);
        CsvExportWriter writer = new CsvExportWriter(MAPPING, "person");
        Path file = writer.write(outbox, "formulas.csv", List.of(person));

        Map<String, String> cells = cells(writer.columns(), Files.readString(file, StandardCharsets.UTF_8));
        assertThat(cells).containsEntry("Nom", "'=HYPERLINK(\"http://x\",\"y\")")
                .containsEntry("Nom d'usage", "'\t=1+1")
                .containsEntry("Prénoms", "'@SUM(A1),Jean")
                .containsEntry("Adresse", "'+cmd|' /C calc'!A0")
                .containsEntry("Ville", "'-2+3+cmd")
                .containsEntry("Commentaire", "'\r=cmd")
                .containsEntry("Identifiant", "'@D-001");
        // legitimate values: as they are
        assertThat(cells).containsEntry("Téléphone", "+33612345678")
                .containsEntry("Téléphone 2", "+33 6 12 34 56 78")
                .containsEntry("NIR", "2820251108030")
                .containsEntry("Date de naissance", "11/02/1982")
                .containsEntry("Sexe", "-") // a code of the mapping's code list, not the partner's text
                .containsEntry("Certifié", "Oui")
                .containsEntry("Solde", "-12")
                .containsEntry("Montant", "-12,50")
                .containsEntry("Note", "-");
    }

    @Test
    void aNeutralisedCellKeepsTheCsvQuotingRight() throws Exception {
        FileMapping quoteIsApostrophe = FileMapping.fromMap(Map.of("name", "apostrophe", "quote", "'",
                "fields", List.of(field("Nom", "person:/birthName"), field("Prénom", "person:/givenNames/0")),
                "records", List.of(Map.of("recordType", "person"))));
        ObjectNode payload = (ObjectNode) JsonMapper.builder().build()
                .readTree("{\"birthName\": \"=1+1;x\", \"givenNames\": [\"Ann\"]}");
        Path file = new CsvExportWriter(quoteIsApostrophe, "person").write(outbox, "apostrophe.csv",
                List.of(new SpieRecord("person", payload.deepCopy(), payload, "exchange 1", null)));
        // the added ' is the mapping's quote: doubled inside the quoted cell
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8).get(1)).isEqualTo("'''=1+1;x';Ann");
    }

    /** The data row's cells by column name (a quote-aware reading of the written file, separator ';', quote '"'). */
    static Map<String, String> cells(List<String> columns, String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ';') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                cell.append(c);
            }
        }
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).isEqualTo(columns);
        Map<String, String> byColumn = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            byColumn.put(columns.get(i), rows.get(1).get(i));
        }
        return byColumn;
    }
}
