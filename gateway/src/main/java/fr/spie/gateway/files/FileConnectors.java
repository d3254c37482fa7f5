package fr.spie.gateway.files;

import fr.spie.connector.InboundConnector;
import fr.spie.connector.caf.CnafBeneficiairesConnector;
import fr.spie.connector.departement.ConfigurableFileConnector;
import fr.spie.connector.departement.FileMapping;
import fr.spie.connector.departement.IdentifierIssuers;
import fr.spie.connector.francetravail.FranceTravailExtractConnector;
import fr.spie.connector.missionlocale.ImiloDossierConnector;
import fr.spie.gateway.config.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** The connector that reads a partner's files, as its {@code files:} block in partners.yaml says. */
final class FileConnectors {
    private FileConnectors() {
    }

    static InboundConnector forChannel(String partnerId, FileChannel channel) {
        return switch (channel.format()) {
            case FileChannel.CNAF_VRSB0801 -> new CnafBeneficiairesConnector(FileChannel.REPORT.equals(
                    channel.declaredCounts()) ? CnafBeneficiairesConnector.DeclaredCountPolicy.REPORT
                    : CnafBeneficiairesConnector.DeclaredCountPolicy.REFUSE_FILE);
            case FileChannel.FRANCE_TRAVAIL_EXTRACT -> new FranceTravailExtractConnector(
                    channel.encoding() == null ? StandardCharsets.UTF_8 : Charset.forName(channel.encoding()),
                    partnerId);
            case FileChannel.DEPARTEMENT_FILE -> new ConfigurableFileConnector(mapping(channel),
                    new IdentifierIssuers(partnerId, channel.identifierIssuers()));
            case FileChannel.IMILO_DOSSIER_JSON -> new ImiloDossierConnector();
            default -> throw new IllegalArgumentException("unknown file format '" + channel.format() + "'");
        };
    }

    private static FileMapping mapping(FileChannel channel) {
        FileMapping mapping = channel.inlineMapping() != null ? FileMapping.fromMap(channel.inlineMapping())
                : FileMapping.builtin(channel.mappingName() == null ? FileChannel.DEFAULT_MAPPING
                : channel.mappingName());
        if (channel.encoding() != null && !channel.encoding().equalsIgnoreCase(mapping.encoding().name())) {
            mapping = withEncoding(mapping, Charset.forName(channel.encoding()));
        }
        return mapping;
    }

    private static FileMapping withEncoding(FileMapping m, Charset encoding) {
        return new FileMapping(m.name(), m.kind(), m.separator(), m.quote(), m.header(), encoding, m.dateFormats(),
                m.columns(), m.keyColumn(), m.changeKeyPrefix(), m.nullValues(), m.fields(), m.records());
    }
}
