package io.lifeboat.objectstore.gcs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** A service-account key made for a test: a fresh RSA pair and the JSON key file Google would hand out for it. */
record ServiceAccountKey(KeyPair keyPair, String json) {

    static ServiceAccountKey generate(String tokenUri) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return new ServiceAccountKey(pair, json(privateKeyPem(pair), tokenUri));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The full base64 lines of the PKCS#8 private key, as they appear in the PEM (the short last one is left out). */
    String[] privateKeyLines() {
        return privateKeyPem(keyPair).lines().filter(l -> l.length() == 64).toArray(String[]::new);
    }

    static String privateKeyPem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    static String json(String privateKeyPem, String tokenUri) {
        return """
                {
                  "type": "service_account",
                  "project_id": "lifeboat-test",
                  "private_key_id": "0123456789abcdef0123456789abcdef01234567",
                  "private_key": "%s",
                  "client_email": "lifeboat@lifeboat-test.iam.gserviceaccount.com",
                  "client_id": "112233445566778899000",
                  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
                  "token_uri": "%s"
                }
                """.formatted(privateKeyPem.replace("\n", "\\n"), tokenUri);
    }
}
