package fr.spie.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

/**
 * The health's {@code diskSpace} component watched Spring Boot's default path, the working directory: with the data
 * directory on its own volume filled to 100 % (H2 closed, broker stopped), it still said UP with the working
 * directory's free space. It must watch {@code spie.data-dir}.
 */
class DiskSpaceHealthPathTest {

    @Test
    void theDiskSpaceComponentWatchesTheDataDirectory() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        Properties defaults = yaml.getObject();

        assertThat(defaults.getProperty("management.health.diskspace.path")).isEqualTo("${spie.data-dir}");
    }
}
