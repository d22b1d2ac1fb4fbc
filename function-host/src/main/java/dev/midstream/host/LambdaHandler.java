package dev.midstream.host;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The function host as an AWS Lambda handler ({@code dev.midstream.host.LambdaHandler::handleRequest}) for a
 * Function URL or an API Gateway HTTP API (payload format 2.0): the event's method, path and body go to the same
 * {@link Invoker} the HTTP server uses, so the protocol is the same whichever serves it. The functions come from the
 * deployment package's class path; one instance per execution environment serves one call at a time.
 */
public final class LambdaHandler implements RequestStreamHandler {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Invoker INVOKER = Invoker.fromClassPath(LambdaHandler.class.getClassLoader());

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        String method = event.path("requestContext").path("http").path("method").asText("POST");
        String path = event.path("rawPath").asText("/");
        String body = event.path("body").asText("");
        byte[] bytes = event.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        Invoker.Reply reply = INVOKER.handle(method, path, bytes);
        ObjectNode response = JSON.createObjectNode();
        response.put("statusCode", reply.status());
        response.putObject("headers").put("Content-Type", reply.contentType());
        response.put("body", new String(reply.body(), StandardCharsets.UTF_8));
        response.put("isBase64Encoded", false);
        JSON.writeValue(output, response);
    }
}
