package io.lifeboat.secret;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;

import java.util.Map;

/** Data keys from AWS KMS. The context goes into the KMS encryption context, so CloudTrail records what was opened. */
public final class KmsDataKeys implements DataKeys {
    private static final String CONTEXT_KEY = "lifeboat:record";
    private final KmsClient kms;
    private final String keyId;

    public KmsDataKeys(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    @Override
    public DataKey generate(String context) {
        GenerateDataKeyResponse response = kms.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256)
                .encryptionContext(Map.of(CONTEXT_KEY, context)));
        return new DataKey(response.plaintext().asByteArray(), response.ciphertextBlob().asByteArray());
    }

    @Override
    public byte[] unwrap(byte[] wrapped, String context) {
        DecryptResponse response = kms.decrypt(r -> r.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                .encryptionContext(Map.of(CONTEXT_KEY, context)));
        return response.plaintext().asByteArray();
    }
}
