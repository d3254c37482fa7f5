package fr.spie.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonCharsetFilterTest {

    @Test
    void theCharsetOfAJsonTypeIsReadEvenWhenItDoesNotExist() {
        assertThat(JsonCharsetFilter.declaredCharsetOfJson("application/json; charset=ISO-8859-1"))
                .isEqualTo("iso-8859-1");
        assertThat(JsonCharsetFilter.declaredCharsetOfJson("application/problem+json;charset=\"UTF-16\""))
                .isEqualTo("utf-16");
        // Spring refuses the whole type when the charset does not exist: it is read from the text
        assertThat(JsonCharsetFilter.declaredCharsetOfJson("application/json; charset=nonsense"))
                .isEqualTo("nonsense");
        assertThat(JsonCharsetFilter.declaredCharsetOfJson("Application/JSON ; Charset=\"nonsense\""))
                .isEqualTo("nonsense");
    }

    @Test
    void noCharsetOrNoJsonIsNotItsConcern() {
        assertThat(JsonCharsetFilter.declaredCharsetOfJson(null)).isNull();
        assertThat(JsonCharsetFilter.declaredCharsetOfJson("application/json")).isNull();
        assertThat(JsonCharsetFilter.declaredCharsetOfJson("text/csv; charset=ISO-8859-1")).isNull();
        assertThat(JsonCharsetFilter.declaredCharsetOfJson("not a media type")).isNull();
        assertThat(JsonCharsetFilter.declaredCharsetOfJson("application/json; charset=UTF-8")).isEqualTo("utf-8");
    }
}
