package io.lifeboat.disks.providers;

import io.lifeboat.disks.aws.Ec2Clients;
import io.lifeboat.disks.http.Recorder;
import io.lifeboat.input.OutboundPolicy;

import java.time.Clock;

/** Factories whose every cloud endpoint is a recorder on loopback. */
public final class RecorderFactories {
    private RecorderFactories() {
    }

    public static ProviderDiskSnapshotsFactory to(Recorder recorder) {
        return new ProviderDiskSnapshotsFactory(new Ec2Clients(new Ec2Clients.Access(recorder.uri(), null, null),
                OutboundPolicy.localMode()), new ProviderDiskSnapshotsFactory.Endpoints(recorder.uri(), recorder.uri(),
                recorder.uri()), OutboundPolicy.localMode(), Clock.systemUTC());
    }
}
