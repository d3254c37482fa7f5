package fr.spie.schema;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

/**
 * Compiles the bundled schemas with a 2020-12 registry that asserts formats, reports JSON Pointers, never fetches
 * remote resources and loads nothing but the bundled files.
 */
final class SchemaCompiler {

    private final SchemaRegistry registry;

    SchemaCompiler(BundledSchemaFiles files) {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_POINTER)
                .build();
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b
                .schemaRegistryConfig(config)
                .schemaLoader(l -> l
                        .fetchRemoteResources(false)
                        .resourceLoaders(r -> r.values(list -> {
                            list.clear();
                            list.add(files::serve);
                        }))));
    }

    /** The registry (bundled resources only, no remote fetching). */
    SchemaRegistry registry() {
        return registry;
    }

    /** The bundled schema {@code name} (e.g. {@code envelope}), with its validators initialised. */
    Schema compile(String name) {
        Schema schema = registry.getSchema(SchemaLocation.of(BundledSchemaFiles.idOf(name)));
        schema.initializeValidators();
        return schema;
    }
}
