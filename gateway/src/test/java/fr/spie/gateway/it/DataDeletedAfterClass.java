package fr.spie.gateway.it;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.util.FileSystemUtils;

/**
 * Deletes the data directory of a test class's gateway (its {@code static final Path DATA}) after the class. Declared
 * before {@code @SpringBootTest} on a class that is also {@code @DirtiesContext}, its step runs after Spring closed
 * that gateway (JUnit runs after-class steps in the reverse order of their declaration): for the classes whose
 * gateway writes gigabytes, which would otherwise stay on the build's disk until the end of the run.
 */
public final class DataDeletedAfterClass implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Field field = context.getRequiredTestClass().getDeclaredField("DATA");
        if (!Modifier.isStatic(field.getModifiers()) || field.getType() != Path.class) {
            throw new IllegalStateException(context.getRequiredTestClass().getSimpleName()
                    + ".DATA must be a static Path: the gateway's data directory");
        }
        field.setAccessible(true);
        FileSystemUtils.deleteRecursively((Path) field.get(null));
    }
}
