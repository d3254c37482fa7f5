package fr.spie.connector.caf;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a synthetic CNAF "flux bénéficiaires RSA" (VRSB0801, monthly, windows-1252) of any size, streamed to disk,
 * for load tests and benchmarks: households of one or two persons, every right state, suspensions and closures, NIRs
 * of 13 and 15 characters and persons without NIR. All names and numbers are fake.
 */
public final class SyntheticFluxGenerator {
    private SyntheticFluxGenerator() {
    }

    /** Writes the file household by household; returns the number of households. */
    public static int write(Path file, int persons) throws IOException {
        int foyers = 0;
        int written = 0;
        try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file),
                Charset.forName("windows-1252")), 1 << 16)) {
            w.write("""
                    <?xml version="1.0" encoding="windows-1252"?>
                    <Racine xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                    \t<IdentificationFlux>
                    \t\t<APPLIEME>CRI</APPLIEME>
                    \t\t<NUMVERSIONAPPLIEME>6200</NUMVERSIONAPPLIEME>
                    \t\t<TYPEFLUX>M</TYPEFLUX>
                    \t\t<NATFLUX>D</NATFLUX>
                    \t\t<DTCREAFLUX>2025-03-03</DTCREAFLUX>
                    \t\t<HEUCREAFLUX>01:18:36.0000</HEUCREAFLUX>
                    \t\t<DTREF>2025-02-28</DTREF>
                    \t</IdentificationFlux>
                    """);
            while (written < persons) {
                foyers++;
                int n = Math.min(2, persons - written);
                boolean couple = foyers % 2 == 1;
                StringBuilder sb = new StringBuilder(8192);
                sb.append("\t<InfosFoyerRSA>\n\t\t<IdentificationRSA>\n\t\t\t<Organisme>\n\t\t\t\t<FONORG>CAF</FONORG>\n")
                        .append("\t\t\t\t<NUMORG>511</NUMORG>\n\t\t\t\t<MATRICULE>")
                        .append(String.format(Locale.ROOT, "%07d", foyers)).append("00000000</MATRICULE>\n")
                        .append("\t\t\t</Organisme>\n\t\t\t<Partenaire>\n\t\t\t\t<TYPEPARTE>CG</TYPEPARTE>\n")
                        .append("\t\t\t\t<IDEPARTE>051</IDEPARTE>\n\t\t\t</Partenaire>\n\t\t\t<DemandeRSA>\n")
                        .append("\t\t\t\t<DTDEMRSA>2023-06-02</DTDEMRSA>\n\t\t\t\t<NUMDEMRSA>")
                        .append(String.format(Locale.ROOT, "51%09d", foyers)).append("</NUMDEMRSA>\n")
                        .append("\t\t\t</DemandeRSA>\n\t\t</IdentificationRSA>\n");
                for (int i = 0; i < n; i++) {
                    int id = written + i;
                    String role = i == 0 ? "DEM" : couple ? "CJT" : "ENF";
                    char sex = (id % 2 == 0) ? '2' : '1';
                    String nir13 = sex + String.format(Locale.ROOT, "%02d%02d51%03d%03d", 60 + id % 40, 1 + id % 12,
                            id % 1000, (id / 1000) % 1000);
                    String nir = id % 3 == 0 ? nir13 + String.format(Locale.ROOT, "%02d", key(nir13)) : nir13;
                    appendPerson(sb, id, role, sex, id % 10 == 9 ? null : nir);
                }
                sb.append("""
                        \t\t<DonneesAdministratives>
                        \t\t\t<SituationFamille>
                        \t\t\t\t<SITFAM>MAR</SITFAM>
                        \t\t\t\t<DDSITFAM>2015-06-01</DDSITFAM>
                        \t\t\t</SituationFamille>
                        \t\t\t<Adresse>
                        \t\t\t\t<TroncCommunAdresse>
                        \t\t\t\t\t<RGADR>01</RGADR>
                        \t\t\t\t\t<PAYS>FRA</PAYS>
                        \t\t\t\t\t<TYPEADR>D</TYPEADR>
                        \t\t\t\t\t<ETATADR>CO</ETATADR>
                        \t\t\t\t</TroncCommunAdresse>
                        \t\t\t\t<AdresseDetailleeFrance>
                        \t\t\t\t\t<COMPLIDEADR/>
                        \t\t\t\t\t<COMPLADR/>
                        \t\t\t\t\t<NUMVOIE>12</NUMVOIE>
                        \t\t\t\t\t<LIBTYPEVOIE>RUE</LIBTYPEVOIE>
                        \t\t\t\t\t<NOMVOIE>DE VESLE</NOMVOIE>
                        \t\t\t\t\t<LIEUDIST/>
                        \t\t\t\t\t<NUMCOM>51454</NUMCOM>
                        \t\t\t\t\t<CODEPOS>51100</CODEPOS>
                        \t\t\t\t\t<NOMCOM>REIMS</NOMCOM>
                        \t\t\t\t</AdresseDetailleeFrance>
                        \t\t\t</Adresse>
                        \t\t</DonneesAdministratives>
                        \t\t<PrestationRSA>
                        \t\t\t<SituationDossierRSA>
                        \t\t\t\t<EtatDossierRSA>
                        """);
                int state = foyers % 7;
                sb.append("\t\t\t\t\t<ETATDOSRSA>").append(state).append("</ETATDOSRSA>\n\t\t\t\t</EtatDossierRSA>\n");
                if (state == 4) {
                    sb.append("\t\t\t\t<SuspensionVersement>\n\t\t\t\t\t<MOTISUSVERSRSA>06</MOTISUSVERSRSA>\n")
                            .append("\t\t\t\t\t<DDSUSVERSRSA>2025-01-01</DDSUSVERSRSA>\n\t\t\t\t</SuspensionVersement>\n");
                } else if (state == 5) {
                    sb.append("\t\t\t\t<FinDroit>\n\t\t\t\t\t<MOTICLORSA>PCG</MOTICLORSA>\n")
                            .append("\t\t\t\t\t<DTCLORSA>2025-01-31</DTCLORSA>\n\t\t\t\t</FinDroit>\n");
                }
                sb.append("""
                        \t\t\t</SituationDossierRSA>
                        \t\t\t<DetailDroitRSA>
                        \t\t\t\t<TroncCommunDroitRSA>
                        \t\t\t\t\t<TOPSANSDOMFIXE>0</TOPSANSDOMFIXE>
                        \t\t\t\t\t<ORIDEMRSA>DEM</ORIDEMRSA>
                        \t\t\t\t</TroncCommunDroitRSA>
                        \t\t\t</DetailDroitRSA>
                        \t\t</PrestationRSA>
                        \t</InfosFoyerRSA>
                        """);
                w.write(sb.toString());
                written += n;
            }
            w.write("\t<TransmissionFlux>\n\t\t<NBTOTDOSRSATRANSM>" + String.format(Locale.ROOT, "%08d", foyers)
                    + "</NBTOTDOSRSATRANSM>\n\t\t<NBTOTDOSRSATRANSMANO>00000000</NBTOTDOSRSATRANSMANO>\n"
                    + "\t</TransmissionFlux>\n</Racine>\n");
        }
        return foyers;
    }

    private static void appendPerson(StringBuilder sb, int id, String role, char sex, String nir) {
        sb.append("\t\t<Personne>\n\t\t\t<Identification>\n\t\t\t\t<QUAL>").append(sex == '2' ? "MME" : "MR")
                .append("</QUAL>\n\t\t\t\t<NOM>NOM").append(id).append("</NOM>\n\t\t\t\t<NOMNAI>LEFÈVRE").append(id)
                .append("</NOMNAI>\n\t\t\t\t<PRENOM>HÉLÈNE</PRENOM>\n\t\t\t\t<PRENOM2>MARIE</PRENOM2>\n")
                .append("\t\t\t\t<NOMCOMNAI>REIMS</NOMCOMNAI>\n\t\t\t\t<DTNAI>19")
                .append(60 + id % 40).append('-').append(String.format(Locale.ROOT, "%02d", 1 + id % 12))
                .append("-15</DTNAI>\n\t\t\t\t<TYPEDTNAI>N</TYPEDTNAI>\n");
        if (nir != null) {
            sb.append("\t\t\t\t<NIR>").append(nir).append("</NIR>\n");
        }
        sb.append("\t\t\t\t<TOPVALIEC>1</TOPVALIEC>\n\t\t\t\t<SEXE>").append(sex).append("</SEXE>\n")
                .append("\t\t\t</Identification>\n\t\t\t<DossierCAF>\n\t\t\t\t<TOPRESPDOS>1</TOPRESPDOS>\n")
                .append("\t\t\t\t<DDRATDOS>2019-01-01</DDRATDOS>\n\t\t\t</DossierCAF>\n")
                .append("\t\t\t<Prestations>\n\t\t\t\t<NATPREST>PFA</NATPREST>\n\t\t\t\t<ROLEPERS>").append(role)
                .append("</ROLEPERS>\n\t\t\t\t<TOPCHAPERS>1</TOPCHAPERS>\n\t\t\t</Prestations>\n")
                .append("\t\t\t<Prestations>\n\t\t\t\t<NATPREST>RSA</NATPREST>\n\t\t\t\t<ROLEPERS>").append(role)
                .append("</ROLEPERS>\n\t\t\t\t<TOPCHAPERS>1</TOPCHAPERS>\n\t\t\t</Prestations>\n")
                .append("\t\t\t<DossierPoleEmploi>\n\t\t\t\t<IDASSEDIC>").append(String.format(Locale.ROOT, "%07dX", id % 10_000_000))
                .append("</IDASSEDIC>\n\t\t\t</DossierPoleEmploi>\n")
                .append("\t\t\t<Ressources>\n\t\t\t\t<GeneraliteRessourcesTrimestre>\n\t\t\t\t\t<TOPRESSNUL>0</TOPRESSNUL>\n")
                .append("\t\t\t\t\t<DDRESS>2024-10-01</DDRESS>\n\t\t\t\t\t<DFRESS>2024-12-31</DFRESS>\n")
                .append("\t\t\t\t</GeneraliteRessourcesTrimestre>\n");
        for (int m = 10; m <= 12; m++) {
            sb.append("\t\t\t\t<RessourcesMensuelles>\n\t\t\t\t\t<GeneraliteRessourcesMensuelles>\n")
                    .append("\t\t\t\t\t\t<MOISRESS>2024-").append(m).append("-01</MOISRESS>\n")
                    .append("\t\t\t\t\t\t<NBHEUMENTRA>000</NBHEUMENTRA>\n\t\t\t\t\t</GeneraliteRessourcesMensuelles>\n")
                    .append("\t\t\t\t\t<DetailRessourcesMensuelles>\n\t\t\t\t\t\t<NATRESS>001</NATRESS>\n")
                    .append("\t\t\t\t\t\t<MTNATRESSMEN>0001675.00</MTNATRESSMEN>\n\t\t\t\t\t</DetailRessourcesMensuelles>\n")
                    .append("\t\t\t\t</RessourcesMensuelles>\n");
        }
        sb.append("\t\t\t</Ressources>\n\t\t\t<MontantCalculDroitRSAPersonne>\n\t\t\t\t<TOPPERSDRODEVORSA>")
                .append(id % 2).append("</TOPPERSDRODEVORSA>\n\t\t\t</MontantCalculDroitRSAPersonne>\n")
                .append("\t\t\t<Activite>\n\t\t\t\t<REG>GE</REG>\n\t\t\t\t<ACT>CHO</ACT>\n")
                .append("\t\t\t\t<DDACT>2021-12-20</DDACT>\n\t\t\t</Activite>\n\t\t</Personne>\n");
    }

    private static int key(String nir13) {
        return (int) (97 - Long.parseLong(nir13) % 97);
    }
}
