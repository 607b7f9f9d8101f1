package io.lifeboat.objectstore.s3;

import io.lifeboat.objectstore.Retention;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;

/** How a {@link Retention} is spelt in S3's Object Lock headers: GOVERNANCE or COMPLIANCE. */
final class S3Locks {
    private S3Locks() {
    }

    static ObjectLockMode mode(Retention retention) {
        return switch (retention.mode()) {
            case GOVERNANCE -> ObjectLockMode.GOVERNANCE;
            case COMPLIANCE -> ObjectLockMode.COMPLIANCE;
        };
    }
}
