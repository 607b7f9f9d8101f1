// A cluster's Backup/Restore page: its health, its backup history, its backups (newest first, live progress while
// one runs), "Back up now", and the restores into it.

import { useState } from 'preact/hooks';
import { all, get, p, post, Resource } from '../api';
import { HistoryChart } from '../chart';
import {
  Check, Disclosure, Empty, Field, FormError, Phase, Progress, RUNNING, Status, Time, bytes, href, names, useLoad,
  useSubmit,
} from '../ui';

export const newestFirst = (a: Resource, b: Resource) => b.createdAt.localeCompare(a.createdAt);

const anyRunning = (runs: Resource[]) => runs.some((r) => RUNNING.has(r.status.phase));

export function ClusterPage(props: { name: string }) {
  const cluster = useLoad(() => get<Resource>(p('clusters', props.name)), [props.name]);
  const backups = useLoad(async () => (await all<Resource>(p('backups') + `?cluster=${encodeURIComponent(props.name)}`)).sort(newestFirst),
    [props.name], 1500, anyRunning);
  const restores = useLoad(async () => (await all<Resource>(p('restores') + `?cluster=${encodeURIComponent(props.name)}`)).sort(newestFirst),
    [props.name], 1500, anyRunning);
  const [open, setOpen] = useState(false);
  const [checking, setChecking] = useState(false);
  const check = async () => {
    setChecking(true);
    try {
      await post(p('clusters', props.name, 'check'));
    } finally {
      setChecking(false);
      cluster.reload();
    }
  };
  return (
    <section>
      <p class="crumbs"><a href={href('clusters')}>Clusters</a> ›</p>
      <h1 tabIndex={-1}>{props.name} <span class="subtitle">Backup/Restore</span></h1>
      <Status loaded={cluster}>
        {(c) => (
          <dl class="facts">
            <div><dt>Health</dt><dd><Phase phase={c.status.health} /> {c.status.health !== 'Healthy' && <span class="muted">{c.status.message}</span>}</dd></div>
            <div><dt>Kubernetes</dt><dd>{c.status.kubernetesVersion ?? '—'}</dd></div>
            <div><dt>API server</dt><dd><code>{c.spec.server}</code></dd></div>
            <div><dt>Checked</dt><dd><Time at={c.status.checkedAt} />{' '}
              <button type="button" class="link" onClick={check} disabled={checking}>{checking ? 'Checking…' : 'Check now'}</button></dd></div>
          </dl>
        )}
      </Status>

      <h2>Backups</h2>
      <Disclosure label="Back up now" open={open} setOpen={setOpen}>
        <BackupForm cluster={props.name} onStarted={() => { setOpen(false); backups.reload(); }} />
      </Disclosure>
      <Status loaded={backups}>
        {(list) => (
          <>
            {list.length > 0 && <HistoryChart cluster={props.name} backups={list} />}
            {list.length === 0
              ? <Empty title="No backups of this cluster yet">Choose “Back up now”, or create a schedule.</Empty>
              : <BackupTable backups={list} />}
          </>
        )}
      </Status>

      <h2>Restores into this cluster</h2>
      <Status loaded={restores}>
        {(list) => list.length === 0
          ? <Empty title="Nothing has been restored into this cluster">Open a backup and choose “Restore”.</Empty>
          : <RestoreTable restores={list} />}
      </Status>
    </section>
  );
}

/** A run's error and warning counts, beside its phase; nothing when both are zero. */
function Counts(props: { errors?: number; warnings?: number }) {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    <>
      {(props.errors ?? 0) > 0 && <span class="tag error">{plural(props.errors!, 'error')}</span>}
      {(props.warnings ?? 0) > 0 && <span class="tag warn">{plural(props.warnings!, 'warning')}</span>}
    </>
  );
}

export function BackupTable(props: { backups: Resource[] }) {
  return (
    <table class="list" aria-label="Backups">
      <thead>
        <tr><th scope="col">Name</th><th scope="col">Phase</th><th scope="col">Progress</th><th scope="col">Size</th>
          <th scope="col">Items</th><th scope="col">Started</th><th scope="col">Expires</th></tr>
      </thead>
      <tbody>
        {props.backups.map((b) => (
          <tr key={b.name} data-backup={b.name}>
            <th scope="row"><a href={href('backups', b.name)}>{b.name}</a></th>
            <td><Phase phase={b.status.phase} />
              <Counts errors={b.status.errors} warnings={b.status.warnings} /></td>
            <td><Progress label={`Backup ${b.name}`} phase={b.status.phase} done={b.status.progress?.itemsBackedUp}
                          total={b.status.progress?.totalItems} /></td>
            <td>{bytes(b.status.sizeBytes)}</td>
            <td>{b.status.progress?.itemsBackedUp ?? 0}</td>
            <td><Time at={b.status.startedAt ?? b.createdAt} /></td>
            <td><Time at={b.spec.expiresAt} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RestoreTable(props: { restores: Resource[] }) {
  return (
    <table class="list" aria-label="Restores">
      <thead>
        <tr><th scope="col">Name</th><th scope="col">From backup</th><th scope="col">Phase</th><th scope="col">Progress</th>
          <th scope="col">Started</th><th scope="col">Completed</th></tr>
      </thead>
      <tbody>
        {props.restores.map((r) => (
          <tr key={r.name} data-restore={r.name}>
            <th scope="row"><a href={href('restores', r.name)}>{r.name}</a></th>
            <td><a href={href('backups', r.spec.backup)}>{r.spec.backup}</a></td>
            <td><Phase phase={r.status.phase} />
              <Counts errors={r.status.errors} warnings={r.status.warnings} /></td>
            <td><Progress label={`Restore ${r.name}`} phase={r.status.phase} done={r.status.progress?.itemsRestored}
                          total={r.status.progress?.totalItems} /></td>
            <td><Time at={r.status.startedAt ?? r.createdAt} /></td>
            <td><Time at={r.status.completedAt} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A name for a run started now: the cluster's, then the UTC time to the second, as schedules name theirs. */
export function defaultName(prefix: string) {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${prefix}-${stamp}`.slice(0, 63);
}

/** The date {@code days} from now, as a date input shows it (yyyy-mm-dd). */
export function inDays(days: number) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The end of that day in the browser's time zone, as the API takes it. */
export function endOfDay(date: string) {
  return date ? new Date(`${date}T23:59:59`).toISOString() : undefined;
}

export function useAvailableLocations() {
  return useLoad(() => all<Resource>(p('locations')), []);
}

export function LocationSelect(props: { value: string; onChange: (v: string) => void; locations?: Resource[]; attrs: any }) {
  const available = (props.locations ?? []).filter((l) => l.status.phase === 'Available');
  return (
    <select {...props.attrs} value={props.value} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
      <option value="">Choose a location…</option>
      {available.map((l) => <option key={l.name} value={l.name}>{l.name} ({l.spec.bucket ?? l.spec.container})</option>)}
    </select>
  );
}

/** A choice of three: let the server decide (undefined), yes, no. */
export function ClusterResourcesSelect(props: { value?: boolean; onChange: (v?: boolean) => void; attrs: any; auto: string }) {
  const value = props.value === undefined ? 'auto' : props.value ? 'yes' : 'no';
  return (
    <select {...props.attrs} value={value}
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              props.onChange(v === 'auto' ? undefined : v === 'yes');
            }}>
      <option value="auto">{props.auto}</option>
      <option value="yes">Yes</option>
      <option value="no">No</option>
    </select>
  );
}

function BackupForm(props: { cluster: string; onStarted: () => void }) {
  const locations = useAvailableLocations();
  const [name, setName] = useState(() => defaultName(props.cluster));
  const [location, setLocation] = useState('');
  const [expires, setExpires] = useState(inDays(30));
  const [disks, setDisks] = useState(false);
  const [verify, setVerify] = useState(false);
  const [clusterResources, setClusterResources] = useState<boolean | undefined>(undefined);
  const [namespaces, setNamespaces] = useState('');
  const chosen = location || (locations.data ?? []).find((l) => l.status.phase === 'Available')?.name || '';
  const form = useSubmit(async () => {
    await post(p('backups'), {
      name: name.trim() || undefined, cluster: props.cluster, location: chosen || undefined, expiresAt: endOfDay(expires),
      includeDisks: disks, includeClusterResources: clusterResources, namespaces: names(namespaces),
      verifyAfter: verify || undefined,
    });
    props.onStarted();
  }, () => ['name', 'location', 'expiresAt', 'includeDisks', 'includeClusterResources', 'namespaces', 'verifyAfter']);
  return (
    <form class="form" onSubmit={form.submit} aria-label="Back up now" noValidate>
      <FormError text={form.general ?? (locations.error && `Locations: ${locations.error}`)} />
      <Field label="Backup name" name="name" errors={form.errors}>
        {(a) => <input {...a} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} autoComplete="off" />}
      </Field>
      <Field label="Location" name="location" errors={form.errors}
             hint={locations.data && !locations.data.some((l) => l.status.phase === 'Available')
               ? <span>No location is Available: <a href={href('locations')}>add one</a>.</span> : 'Only Available locations are offered.'}>
        {(a) => <LocationSelect attrs={a} value={chosen} onChange={setLocation} locations={locations.data} />}
      </Field>
      <Field label="Expires on" name="expiresAt" errors={form.errors} hint="The backup and its snapshots are deleted at the end of that day.">
        {(a) => <input {...a} type="date" value={expires} onInput={(e) => setExpires((e.target as HTMLInputElement).value)} />}
      </Field>
      <Field label="Namespaces" name="namespaces" errors={form.errors} hint="Separated by commas or spaces; empty for all.">
        {(a) => <input {...a} value={namespaces} onInput={(e) => setNamespaces((e.target as HTMLInputElement).value)} autoComplete="off"
                       placeholder="all namespaces" />}
      </Field>
      <Field label="Include cluster resources" name="includeClusterResources" errors={form.errors}>
        {(a) => <ClusterResourcesSelect attrs={a} value={clusterResources} onChange={setClusterResources}
                                        auto="When backing up all namespaces" />}
      </Field>
      <Check name="includeDisks" label="Include all disks" checked={disks} onChange={setDisks}
             hint="A CSI VolumeSnapshot of every bound volume claim." />
      <Check name="verifyAfter" label="Verify its files once it has finished" checked={verify} onChange={setVerify}
             hint="The archive read back and checked against its record, manifest and resource list, without restoring it." />
      <div class="buttons">
        <button type="submit" class="primary" disabled={form.busy}>{form.busy ? 'Starting…' : 'Start backup'}</button>
      </div>
    </form>
  );
}

