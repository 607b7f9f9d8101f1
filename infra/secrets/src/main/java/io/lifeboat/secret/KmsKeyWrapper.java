package io.lifeboat.secret;

import io.lifeboat.encryption.KeyException;
import io.lifeboat.encryption.KeyWrapper;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KmsException;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The data keys of encrypted backups from AWS KMS, with the key each location names: GenerateDataKey (AES_256) and
 * Decrypt, both with the KeyId (so that a ciphertext of another key is refused) and the context as the encryption
 * context {@value #CONTEXT_KEY} (so CloudTrail shows which backup each call was for). Lifeboat's own role calls KMS:
 * the key's policy (or a grant) must let it. A refusal is a {@link KeyException} with KMS's error code as reason
 * (AccessDenied, NotFound, Disabled, InvalidCiphertext, ...); KMS's message text is never repeated.
 */
public final class KmsKeyWrapper implements KeyWrapper {
    static final String CONTEXT_KEY = "lifeboat:backup";
    private final KmsClient kms;

    public KmsKeyWrapper(KmsClient kms) {
        this.kms = kms;
    }

    @Override
    public DataKey newDataKey(String keyId, String context) {
        GenerateDataKeyResponse response = call("GenerateDataKey", keyId, () -> kms.generateDataKey(r -> r.keyId(keyId)
                .keySpec(DataKeySpec.AES_256).encryptionContext(Map.of(CONTEXT_KEY, context))));
        return new DataKey(response.plaintext().asByteArray(), response.ciphertextBlob().asByteArray());
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrapped, String context) {
        return call("Decrypt", keyId, () -> kms.decrypt(r -> r.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                .encryptionContext(Map.of(CONTEXT_KEY, context)))).plaintext().asByteArray();
    }

    private static <T> T call(String operation, String keyId, Supplier<T> action) {
        try {
            return action.get();
        } catch (KmsException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String reason = code == null || !code.matches("[A-Za-z]{1,64}") ? "HTTP" + e.statusCode()
                    : code.replaceFirst("^KMS", "").replaceFirst("Exception$", "");
            throw new KeyException(reason, "KMS refused " + operation + " with key " + keyId + " (HTTP "
                    + e.statusCode() + ", " + reason + ")", e);
        } catch (SdkException e) {
            throw new KeyException("Unreachable", "KMS could not be reached for " + operation + " with key " + keyId
                    + ": " + e.getClass().getSimpleName(), e);
        }
    }
}
