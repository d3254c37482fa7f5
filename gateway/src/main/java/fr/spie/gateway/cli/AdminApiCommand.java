package fr.spie.gateway.cli;

import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A command that calls the running gateway's API ({@code dead-letters ...}, {@code files ...}): the gateway and the
 * token ({@link GatewayApi}), {@code --json}, and the exit codes 0 (done), 1 (the gateway refused), 2 (command line:
 * picocli's) and 3 (the gateway could not be reached).
 */
abstract class AdminApiCommand implements Callable<Integer> {
    static final int REFUSED = 1;
    static final int UNREACHABLE = 3;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Mixin
    GatewayApi api;

    @Option(names = "--json", description = "print the gateway's JSON answer as is")
    boolean json;

    @Spec
    CommandSpec spec;

    /** The gateway did not answer 200 with JSON: what to tell the operator. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!api.hasToken()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "no admin token: give --token or set SPIE_ADMIN_TOKEN");
        }
        String urlProblem = api.urlProblem();
        if (urlProblem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), urlProblem);
        }
        try {
            return execute(out);
        } catch (GatewayApi.Unreachable e) {
            err.println(e.getMessage());
            return UNREACHABLE;
        } catch (Refused e) {
            err.println(e.getMessage());
            return REFUSED;
        }
    }

    /** One request, its answer printed (as is with {@code --json}). */
    int execute(PrintWriter out) throws GatewayApi.Unreachable, Refused {
        JsonNode body = answer(send());
        if (json) {
            out.println(body.toPrettyString());
        } else {
            print(body, out);
        }
        return exitCode(body);
    }

    /** The JSON of a 200 answer; else {@link Refused} with {@link #refusal}. */
    JsonNode answer(HttpResponse<String> response) throws Refused {
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (RuntimeException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            // not the gateway's API (a web server, a proxy's error page, an empty answer): --url names something else
            throw new Refused("the gateway answered HTTP " + response.statusCode() + " without JSON: is "
                    + api.url + " the gateway? " + GatewayApi.URL_FORM);
        }
        if (response.statusCode() != 200) {
            String problem = api.pathProblem(response.statusCode());
            throw new Refused(refusal(response.statusCode(), body) + (problem == null ? "" : " (" + problem + ")"));
        }
        return body;
    }

    /** What to say of a refusal (a problem+json answer). */
    String refusal(int status, JsonNode problem) {
        return "the gateway refused: HTTP " + status + " " + problem.path("title").asString("")
                + (problem.has("detail") ? ": " + problem.path("detail").asString() : "");
    }

    abstract HttpResponse<String> send() throws GatewayApi.Unreachable;

    abstract void print(JsonNode body, PrintWriter out);

    int exitCode(JsonNode body) {
        return 0;
    }
}
