package fr.spie.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class LogSafeThrowableTest {

    @Test
    void whatTheMessagesQuoteIsLeftOutButTheClassesAndFramesStay() {
        IllegalStateException cause = new IllegalStateException(
                "Value too long for column \"ORIGINAL_NAME\": \"'DUPONT Jean 2820251108030.csv' (300)\"");
        RuntimeException failure = new RuntimeException("storing the batch of 'Jean DUPONT' failed, NIR "
                + "2 82 02 51 108 030 45", cause);

        LogSafeThrowable safe = LogSafeThrowable.of(failure);
        StringWriter printed = new StringWriter();
        safe.printStackTrace(new PrintWriter(printed));

        assertThat(printed.toString()).doesNotContain("DUPONT", "Jean", "2820251108030", "108 030")
                .contains("java.lang.RuntimeException: storing the batch of […] failed, NIR [digits]",
                        "Caused by: java.lang.IllegalStateException: Value too long for column […]: […]",
                        "LogSafeThrowableTest.whatTheMessagesQuoteIsLeftOutButTheClassesAndFramesStay");
        assertThat(safe.originalClass()).isEqualTo("java.lang.RuntimeException");
        assertThat(safe.getStackTrace()).isEqualTo(failure.getStackTrace());
    }

    @Test
    void aCycleInTheCausesEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(LogSafeThrowable.of(b).getMessage()).isEqualTo("java.lang.RuntimeException: b");
    }
}
