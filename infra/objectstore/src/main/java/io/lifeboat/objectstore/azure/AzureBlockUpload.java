package io.lifeboat.objectstore.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobImmutabilityPolicy;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.parts.Md5Etags;
import io.lifeboat.objectstore.parts.PartedUpload;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * A block blob written block by block, one block in flight while the next fills ({@link PartedUpload}), and made
 * visible by committing the block list; a blob smaller than one block goes up in a single Put Blob. Every request
 * carries the transactional Content-MD5 of its bytes, which Azure checks on receipt and refuses (Md5Mismatch,
 * reported as VerificationFailed) when the bytes it got have another MD5. So a committed upload is one whose every
 * byte Azure has checked ({@link #verifiedByStore()}). Blocks never committed are discarded by Azure within a week.
 */
final class AzureBlockUpload extends PartedUpload<String> {
    private final BlockBlobClient blob;
    private final BiFunction<String, RuntimeException, StoreException> failure;
    /** Ties this upload's block IDs to it, so that two uploads to one name never mix their blocks. */
    private final String uploadTag = UUID.randomUUID().toString();
    private volatile boolean committed;
    /** The version-level immutability policy the blob is written with (on Put Blob or Put Block List); null: none. */
    private final BlobImmutabilityPolicy policy;

    /** {@code failure} names a failed step the provider's way; {@code policy} locks the blob written (null: not). */
    AzureBlockUpload(BlockBlobClient blob, String key, int blockBytes,
                     BiFunction<String, RuntimeException, StoreException> failure, BlobImmutabilityPolicy policy) {
        super(key, blockBytes);
        this.policy = policy;
        this.blob = blob;
        this.failure = failure;
    }

    @Override
    protected void start() {
        // blocks need no upload to belong to: they are staged on the blob's name
    }

    @Override
    protected String sendPart(int number, byte[] body, int length) {
        String blockId = blockId(number);
        byte[] md5 = md5(body, length);
        call("upload block " + number + " of " + key(), () -> blob.stageBlockWithResponse(
                new BlockBlobStageBlockOptions(blockId, BinaryData.fromByteBuffer(ByteBuffer.wrap(body, 0, length)))
                        .setContentMd5(md5), null, Context.NONE));
        return blockId;
    }

    @Override
    protected void sendWhole(byte[] body, int length) {
        byte[] md5 = md5(body, length);
        call("write " + key(), () -> blob.uploadWithResponse(new BlockBlobSimpleUploadOptions(
                BinaryData.fromByteBuffer(ByteBuffer.wrap(body, 0, length))).setContentMd5(md5)
                .setImmutabilityPolicy(policy), null, Context.NONE));
        committed = true;
    }

    @Override
    protected void complete(List<String> blockIds) {
        call("complete the upload of " + key(), () -> blob.commitBlockListWithResponse(
                new BlockBlobCommitBlockListOptions(blockIds).setImmutabilityPolicy(policy), null, Context.NONE));
        committed = true;
    }

    @Override
    protected void discard() {
        // never committed, never visible: Azure drops the staged blocks
    }

    /** Every block (or the single Put Blob) was accepted with the MD5 of its bytes, and the blob committed. */
    @Override
    public boolean verifiedByStore() {
        return committed;
    }

    /** Block IDs are Base64 and all of one length within a blob. */
    private String blockId(int number) {
        return Base64.getEncoder().encodeToString("%s-%06d".formatted(uploadTag, number).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] md5(byte[] body, int length) {
        var md5 = Md5Etags.newMd5();
        md5.update(body, 0, length);
        return md5.digest();
    }

    private void call(String what, Runnable action) {
        try {
            action.run();
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure.apply(what, e);
        }
    }
}
