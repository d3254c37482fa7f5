package fr.spie.gateway.files;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Enables the file channel's settings ({@code spie.files.*}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FilesProperties.class)
public class FilesConfiguration {
}
