package fr.spie.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The caller's correlation id goes into every log line of its request: it must never be a NIR. */
class CorrelationIdFilterTest {

    @Test
    void aWellFormedIdIsKept() {
        assertThat(CorrelationIdFilter.correlationId("order-42.batch_7")).isEqualTo("order-42.batch_7");
        assertThat(CorrelationIdFilter.correlationId("batch-20240512-000123")).isEqualTo("batch-20240512-000123");
        // longer digit runs than a NIR (a 20-digit order number) are not NIRs
        assertThat(CorrelationIdFilter.correlationId("12345678901234567890")).isEqualTo("12345678901234567890");
    }

    @Test
    void aNirIsReplacedWhateverItsDepartementAndWhereverItIs() {
        for (String nir : new String[] {"2820251108030", "282025110803042",
                // Corsica: département 2A or 2B, with or without the key, any case
                "185052A123456", "185052A12345678", "185052B12345678", "185052b123456",
                // the NIR inside the id
                "nir:2820251108030", "dossier-185052A123456-1"}) {
            assertThat(CorrelationIdFilter.correlationId(nir)).as(nir)
                    .doesNotContain("2820251108030").doesNotContainIgnoringCase("185052A123456")
                    .doesNotContainIgnoringCase("185052B123456").matches("[0-9a-f-]{36}");
        }
    }
}
