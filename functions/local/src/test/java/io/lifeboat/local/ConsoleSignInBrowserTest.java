package io.lifeboat.local;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's sign-in as it runs in AWS (authorization code with PKCE at the deployment's issuer, then the access
 * token on every API call), in Chromium: local mode is started here with an issuer configured, a stand-in on loopback
 * ({@link FakeIssuer}) that gives a token only for the code it issued and the verifier matching its challenge.
 * Local mode does not check tokens (the API Gateway authorizer does that in AWS): this shows the console's side.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeIssuer.class, restrictToAnnotatedClass = true)
class ConsoleSignInBrowserTest {

    @Test
    void theConsoleSignsInWithPkceAndSendsTheAccessToken() throws Exception {
        given().get("/console-config.json").then().statusCode(200).body("auth", equalTo("oidc"))
                .body("clientId", equalTo(FakeIssuer.CLIENT)).body("projectsClaim", equalTo(FakeIssuer.PROJECTS_CLAIM));
        Path console = ConsoleBrowserTest.consoleFolder();
        String chromium = ConsoleBrowserTest.chromium(console.resolve("e2e").resolve("install-chromium.sh"));
        String issuer = given().get("/console-config.json").then().extract().path("issuer");

        String output = ConsoleBrowserTest.runScript(console, "signin.e2e.mjs", Map.of("ISSUER", issuer, "CHROMIUM", chromium));

        assertTrue(output.contains(" passed, 0 failed"), output);
        assertEquals(List.of("authorize code " + FakeIssuer.CLIENT + " S256 scope=openid profile", "token issued"),
                FakeIssuer.events, "one sign-in: the issuer checked the PKCE verifier against the challenge");
        assertTrue(output.contains("sent: Bearer " + FakeIssuer.issuedToken), output);
    }
}
