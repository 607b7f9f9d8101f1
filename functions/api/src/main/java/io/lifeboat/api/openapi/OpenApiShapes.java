package io.lifeboat.api.openapi;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.List;
import java.util.Map;

/**
 * Completes the document the resources' annotations describe: the one error shape (ErrorMappers) answered by every
 * operation for a bad field or path (400), no identity (401), a project the caller may not use (403), an unknown
 * name (404) and an internal error (500); and the named shapes the annotations refer to.
 */
public class OpenApiShapes implements OASFilter {
    /** What every operation may answer, besides what its annotations name. */
    public static final Map<String, String> COMMON_ERRORS = Map.of(
            "400", "A field, a path parameter or the body is not valid: error.field names it",
            "401", "The request carries no identity",
            "403", "The caller may not use this project, or the request is not from the local API's page",
            "404", "No such resource, or no such path",
            "500", "Internal error (details are logged, not returned)");

    /**
     * The resources, each described by its typed view (named by the view's {@code @Schema}); each has a list shape
     * {"items": [...], "nextToken"?} too.
     */
    static final List<String> RESOURCES = List.of("Location", "Cluster", "Backup", "Restore", "Schedule",
            "Workspace",
            "WorkspaceRun", "Notification");

    /** What the API lists that is not a record of Lifeboat's (a cluster's storage classes): a list shape each too. */
    static final List<String> LISTED = List.of("StorageClass");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        openAPI.setComponents(components);
        components.addSchema("ErrorBody", errorBody());
        for (String resource : java.util.stream.Stream.concat(RESOURCES.stream(), LISTED.stream()).toList()) {
            components.addSchema(resource + "List", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                    .addProperty("items", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                            .items(ref(resource)))
                    .addProperty("nextToken", string("where the next page starts; absent on the last page"))
                    .addRequired("items"));
        }
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : item.getOperations().values()) {
                APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses()
                        : operation.getResponses();
                operation.setResponses(responses);
                COMMON_ERRORS.forEach((code, description) -> {
                    APIResponse present = responses.getAPIResponse(code);
                    if (present == null || present.getContent() == null) { // Quarkus adds some without a body
                        responses.addAPIResponse(code, error(description));
                    }
                });
            }
        }
    }

    private static APIResponse error(String description) {
        return OASFactory.createAPIResponse().description(description).content(json(ref("ErrorBody")));
    }

    private static Content json(Schema schema) {
        MediaType media = OASFactory.createMediaType().schema(schema);
        return OASFactory.createContent().addMediaType(jakarta.ws.rs.core.MediaType.APPLICATION_JSON, media);
    }

    private static Schema ref(String name) {
        return OASFactory.createSchema().ref("#/components/schemas/" + name);
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).description(description);
    }

    private static Schema integer(String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)).description(description);
    }

    /** {"error": {"status", "code", "field"?, "message"}}: ErrorBody. */
    private static Schema errorBody() {
        Schema error = OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .addProperty("status", integer("The HTTP status"))
                .addProperty("code", string("InvalidField, NotFound, Conflict, TooLarge, Unauthorized, Forbidden, "
                        + "WorkerNotStarted, InternalError…"))
                .addProperty("field", string("The field (or path parameter) at fault, when there is one"))
                .addProperty("message", string("What is wrong, for a person"))
                .required(List.of("status", "code", "message"));
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT)).addProperty("error", error)
                .addRequired("error").description("The one shape of every error answer");
    }
}
