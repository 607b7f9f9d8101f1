package io.lifeboat.backup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.discovery.ResourceType;

/** Where the walker sends each item it reads: the archive, the resource list, the checksums. */
public interface ItemSink {
    void accept(ResourceType type, ObjectNode item);
}
