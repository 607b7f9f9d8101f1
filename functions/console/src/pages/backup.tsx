// One backup: what it took, how it went (per-type counts, warnings and errors, volume snapshots), its log and its
// resource list, the last verification of its files, how its objects are protected (encrypted, locked); "Restore",
// "Verify now", "Compare with…" and "Delete".

import { useState } from 'preact/hooks';
import { all, del, get, p, post, Resource, text } from '../api';
import { Empty, Phase, Progress, RUNNING, Status, Time, bytes, go, href, message, useLoad } from '../ui';

/** Velero's results file, {warnings|errors: {velero: [], cluster: [], namespaces: {ns: []}}}, as lines "scope: text". */
export function resultLines(section: any): string[] {
  if (!section) return [];
  const lines: string[] = [];
  for (const m of section.velero ?? []) lines.push(`velero: ${m}`);
  for (const m of section.cluster ?? []) lines.push(`cluster: ${m}`);
  for (const [ns, ms] of Object.entries(section.namespaces ?? {})) {
    for (const m of ms as string[]) lines.push(`${ns}: ${m}`);
  }
  return lines;
}

export function BackupPage(props: { name: string }) {
  const backup = useLoad(() => get<Resource>(p('backups', props.name)), [props.name], 1500,
    (b) => RUNNING.has(b.status.phase) || b.status.verification?.phase === 'Pending' || verificationDue(b));
  const [error, setError] = useState<string | undefined>();
  const verify = async () => {
    try {
      setError(undefined);
      await post(p('backups', props.name, 'verify'));
      backup.reload();
    } catch (e) {
      setError(message(e));
      backup.reload();
    }
  };
  const remove = async () => {
    if (!window.confirm(`Delete backup ${props.name}, its files and its volume snapshots?`)) return;
    try {
      await del(p('backups', props.name));
      go('clusters', backup.data?.spec.cluster ?? '');
    } catch (e) {
      setError(message(e));
    }
  };
  return (
    <section>
      <Status loaded={backup}>
        {(b) => (
          <>
            <p class="crumbs"><a href={href('clusters')}>Clusters</a> ›{' '}
              {b.spec.cluster ? <><a href={href('clusters', b.spec.cluster)}>{b.spec.cluster}</a> ›</> : 'imported from Velero ›'}</p>
            <h1 tabIndex={-1}>Backup {b.name}</h1>
            {error && <div class="banner error" role="alert">{error}</div>}
            <div class="toolbar">
              {(b.status.phase === 'Completed' || b.status.phase === 'PartiallyFailed') &&
                <a class="button primary" href={href('backups', b.name, 'restore')}>Restore…</a>}
              {(b.status.phase === 'Completed' || b.status.phase === 'PartiallyFailed') &&
                <button type="button" class="secondary" onClick={verify}
                        disabled={b.status.verification?.phase === 'Pending'}>Verify now</button>}
              {!RUNNING.has(b.status.phase) && <button type="button" class="danger" onClick={remove}>Delete backup</button>}
            </div>
            <Progress label={`Backup ${b.name}`} phase={b.status.phase} done={b.status.progress?.itemsBackedUp}
                      total={b.status.progress?.totalItems} />
            <dl class="facts">
              <div><dt>Phase</dt><dd><Phase phase={b.status.phase} /></dd></div>
              <div><dt>Cluster</dt><dd>{b.spec.cluster ?? '—'}</dd></div>
              <div><dt>Location</dt><dd>{b.spec.location}</dd></div>
              <div><dt>Namespaces</dt><dd>{b.spec.namespaces?.length ? b.spec.namespaces.join(', ') : 'all'}</dd></div>
              <div><dt>Size</dt><dd>{bytes(b.status.sizeBytes)}</dd></div>
              <div><dt>Items</dt><dd>{b.status.progress?.itemsBackedUp ?? 0} of {b.status.progress?.totalItems ?? 0}</dd></div>
              <div><dt>Started</dt><dd><Time at={b.status.startedAt} /></dd></div>
              <div><dt>Completed</dt><dd><Time at={b.status.completedAt} /></dd></div>
              <div><dt>Expires</dt><dd><Time at={b.spec.expiresAt} /></dd></div>
              <div><dt>Disks</dt><dd>{b.spec.includeDisks ? 'included' : 'not included'}</dd></div>
              <div><dt>Origin</dt><dd>{b.status.origin}</dd></div>
              <div><dt>Warnings / errors</dt><dd>{b.status.warnings} / {b.status.errors}</dd></div>
              <div><dt>Encryption</dt><dd data-encrypted={String(!!b.status.encrypted)}>{b.status.encrypted
                ? <>encrypted, data key wrapped by KMS key <code>{b.status.encryption?.kmsKeyId}</code> (Velero cannot read it)</>
                : 'not encrypted'}</dd></div>
              <div><dt>Lock</dt><dd data-lock={b.status.lock?.mode ?? 'none'}>{b.status.lock
                ? <>{b.status.lock.mode} until <Time at={b.status.lock.retainUntil} /></>
                : 'not locked'}</dd></div>
              <div><dt>Verification</dt><dd data-verification={b.status.verification?.phase ?? 'none'}
                                              data-verified-at={b.status.verification?.at ?? ''}>
                <Verification verification={b.status.verification} asked={b.spec.verifyAfter} /></dd></div>
            </dl>
            {(b.status.verification?.problems ?? []).length > 0 &&
              <ul class="messages errors" aria-label="Verification problems">
                {b.status.verification.problems.map((m: string, i: number) => <li key={i}>{m}</li>)}
              </ul>}
            {b.status.archiveSha256 && <p class="small muted">Archive SHA-256 <code>{b.status.archiveSha256}</code></p>}
            {(b.status.phase === 'Completed' || b.status.phase === 'PartiallyFailed') && <Compare backup={b} />}
            {!RUNNING.has(b.status.phase) && <Details backup={b} />}
          </>
        )}
      </Status>
    </section>
  );
}

/** "Compare with…": another finished backup of the same cluster, and the page of what changed between them. */
function Compare(props: { backup: Resource }) {
  const b = props.backup;
  const others = useLoad(async () => (await all<Resource>(p('backups') + (b.spec.cluster ? `?cluster=${encodeURIComponent(b.spec.cluster)}` : '')))
    .filter((o) => o.name !== b.name && (o.status.phase === 'Completed' || o.status.phase === 'PartiallyFailed'))
    .sort((x, y) => (y.status.completedAt ?? '').localeCompare(x.status.completedAt ?? '')), [b.name]);
  const [other, setOther] = useState('');
  return (
    <Status loaded={others}>
      {(list) => list.length === 0 ? null : (
        <form class="inline" aria-label="Compare with another backup"
              onSubmit={(e) => { e.preventDefault(); const to = other || list[0].name; go('backups', b.name, 'diff', to); }}>
          <label for="compare-with">Compare with</label>{' '}
          <select id="compare-with" value={other || list[0].name} onChange={(e) => setOther((e.target as HTMLSelectElement).value)}>
            {list.map((o) => <option key={o.name} value={o.name}>{o.name}</option>)}
          </select>{' '}
          <button type="submit" class="secondary">Compare</button>
        </form>
      )}
    </Status>
  );
}

/** The run that just finished a backup with verifyAfter records its verification next (within the run's 20 minutes). */
function verificationDue(b: Resource) {
  return b.spec.verifyAfter && !b.status.verification && Date.now() - Date.parse(b.status.completedAt ?? '') < 20 * 60_000;
}

/** The last verification of the backup's files: never, Pending, or Passed/Failed with its items, problems and time. */
function Verification(props: { verification?: any; asked?: boolean }) {
  const v = props.verification;
  if (!v) return <>{props.asked ? 'asked for once the backup has finished' : 'never verified'}</>;
  if (v.phase === 'Pending') return <>Pending (asked <Time at={v.requestedAt} />)</>;
  return (
    <>
      <Phase phase={v.phase} /> {v.items} items, {v.problemCount} problem{v.problemCount === 1 ? '' : 's'}{' '}
      (<Time at={v.at} />)
    </>
  );
}

function Details(props: { backup: Resource }) {
  const b = props.backup;
  const types: any[] = b.status.types ?? [];
  const snapshots: any[] = b.status.volumeSnapshots ?? [];
  const disks: any[] = b.status.diskSnapshots ?? [];
  return (
    <>
      <h2>Warnings and errors</h2>
      <Results backup={b} />

      <h2>Resource types</h2>
      {types.length === 0 ? <Empty title="No per-type counts recorded" /> : (
        <table class="list compact" aria-label="Resource types">
          <thead><tr><th scope="col">Resource</th><th scope="col">Kind</th><th scope="col">Items</th><th scope="col">Note</th></tr></thead>
          <tbody>
            {types.map((t) => (
              <tr key={t.resource} class={t.error ? 'row-error' : t.items === 0 ? 'row-muted' : ''}>
                <th scope="row"><code>{t.resource}</code></th>
                <td>{t.apiVersion} {t.kind}</td>
                <td class="num">{t.items}</td>
                <td>{t.error ? <span class="error-text">{t.error}</span> : t.skipped ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Volume snapshots</h2>
      {snapshots.length === 0
        ? <Empty title="No volume snapshots">{b.spec.includeDisks ? 'No bound volume claim was found.' : 'This backup did not include disks.'}</Empty>
        : (
          <table class="list compact" aria-label="Volume snapshots">
            <thead><tr><th scope="col">Claim</th><th scope="col">Volume</th><th scope="col">Driver</th><th scope="col">Snapshot</th>
              <th scope="col">Size</th><th scope="col">State</th></tr></thead>
            <tbody>
              {snapshots.map((s) => (
                <tr key={`${s.namespace}/${s.persistentVolumeClaim}`}>
                  <th scope="row">{s.namespace}/{s.persistentVolumeClaim}</th>
                  <td>{s.persistentVolume}</td><td>{s.driver}</td><td>{s.volumeSnapshotName ?? '—'}</td>
                  <td>{s.restoreSize ?? '—'}</td>
                  <td>{s.error ? <span class="error-text">{s.error}</span> : s.snapshotHandle ? 'ready' : 'pending'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

      {disks.length > 0 && (
        <>
          <h2>Disk snapshots</h2>
          <table class="list compact" aria-label="Disk snapshots">
            <thead><tr><th scope="col">Claim</th><th scope="col">Volume</th><th scope="col">Disk</th><th scope="col">Zone</th>
              <th scope="col">Snapshot</th><th scope="col">State</th></tr></thead>
            <tbody>
              {disks.map((s) => (
                <tr key={`${s.namespace}/${s.persistentVolumeClaim}`}>
                  <th scope="row">{s.namespace}/{s.persistentVolumeClaim}</th>
                  <td>{s.persistentVolume}</td><td>{s.volumeId ?? '—'}</td><td>{s.volumeAZ ?? '—'}</td>
                  <td>{s.snapshotId ?? '—'}</td>
                  <td>{s.error ? <span class="error-text">{s.error}</span> : s.phase}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h2>Resource list</h2>
      <ResourceList backup={b.name} />

      <h2>Log</h2>
      <Log path={p('backups', b.name, 'logs')} />
    </>
  );
}

function Results(props: { backup: Resource }) {
  const b = props.backup;
  const results = useLoad(() => get<any>(p('backups', b.name, 'results')), [b.name]);
  if (b.status.warnings === 0 && b.status.errors === 0) {
    return <Empty title="No warnings and no errors" />;
  }
  return (
    <Status loaded={results}>
      {(r) => {
        const errors = resultLines(r.errors);
        const warnings = resultLines(r.warnings);
        return (
          <>
            {errors.length > 0 && <><h3>Errors ({b.status.errors})</h3><ul class="messages errors">{errors.map((m, i) => <li key={i}>{m}</li>)}</ul></>}
            {warnings.length > 0 && <><h3>Warnings ({b.status.warnings})</h3><ul class="messages warnings">{warnings.map((m, i) => <li key={i}>{m}</li>)}</ul></>}
          </>
        );
      }}
    </Status>
  );
}

function ResourceList(props: { backup: string }) {
  const list = useLoad(() => get<Record<string, string[]>>(p('backups', props.backup, 'resources')), [props.backup]);
  return (
    <Status loaded={list}>
      {(r) => Object.keys(r).length === 0 ? <Empty title="The backup holds no resources" /> : (
        <details class="resource-list">
          <summary>{Object.values(r).reduce((n, v) => n + v.length, 0)} resources of {Object.keys(r).length} kinds</summary>
          <dl>
            {Object.entries(r).sort(([a], [b]) => a.localeCompare(b)).map(([kind, items]) => (
              <div key={kind}><dt><code>{kind}</code> ({items.length})</dt><dd>{items.join(', ')}</dd></div>
            ))}
          </dl>
        </details>
      )}
    </Status>
  );
}

export function Log(props: { path: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details class="log" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Show the log</summary>
      {open && <LogText path={props.path} />}
    </details>
  );
}

/** Read when the log is opened, not before: a log can be long. */
function LogText(props: { path: string }) {
  const log = useLoad(() => text(props.path), [props.path]);
  return <Status loaded={log}>{(t) => <pre tabIndex={0}>{t || '(empty)'}</pre>}</Status>;
}
