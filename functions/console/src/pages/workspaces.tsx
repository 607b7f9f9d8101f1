// Workspaces: groups of clusters. A workspace's page shows its members, its backups and restores, each with one
// progress bar per cluster, and starts either.

import { useState } from 'preact/hooks';
import { all, del, get, p, post, Resource } from '../api';
import {
  Check, Disclosure, Empty, Field, FormError, Phase, Progress, RUNNING, Status, Time, href, message, names, useLoad, useSubmit,
} from '../ui';
import { ClusterResourcesSelect, LocationSelect, defaultName, endOfDay, inDays, newestFirst, useAvailableLocations } from './cluster';

export function WorkspacesPage() {
  const loaded = useLoad(async () => {
    const [workspaces, clusters] = await Promise.all([all<Resource>(p('workspaces')), all<Resource>(p('clusters'))]);
    return { workspaces, clusters };
  }, []);
  const [open, setOpen] = useState(false);
  return (
    <section>
      <h1 tabIndex={-1}>Workspaces</h1>
      <p class="lead">Groups of clusters backed up and restored together: one backup per member, one restore per member.</p>
      <Disclosure label="New workspace" open={open} setOpen={setOpen}>
        <WorkspaceForm clusters={loaded.data?.clusters ?? []} onCreated={() => { setOpen(false); loaded.reload(); }} />
      </Disclosure>
      <Status loaded={loaded}>
        {({ workspaces }) => workspaces.length === 0
          ? <Empty title="No workspaces yet">Create one to back up several clusters at once.</Empty>
          : (
            <table class="list" aria-label="Workspaces">
              <thead><tr><th scope="col">Name</th><th scope="col">Members</th><th scope="col">Namespaces</th><th scope="col">Created</th></tr></thead>
              <tbody>
                {workspaces.map((w) => (
                  <tr key={w.name} data-workspace={w.name}>
                    <th scope="row"><a href={href('workspaces', w.name)}>{w.name}</a></th>
                    <td>{w.spec.clusters.join(', ') || '—'}</td>
                    <td>{w.spec.namespaces?.length ? w.spec.namespaces.join(', ') : 'all'}</td>
                    <td><Time at={w.createdAt} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      </Status>
    </section>
  );
}

function WorkspaceForm(props: { clusters: Resource[]; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  const [namespaces, setNamespaces] = useState('');
  const form = useSubmit(async () => {
    await post(p('workspaces'), { name: name.trim() || undefined, clusters: members, namespaces: names(namespaces) });
    props.onCreated();
  }, () => ['name', 'clusters', 'namespaces']);
  return (
    <form class="form" onSubmit={form.submit} aria-label="New workspace" noValidate>
      <FormError text={form.general} />
      <Field label="Name" name="name" errors={form.errors}>
        {(a) => <input {...a} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} autoComplete="off" />}
      </Field>
      <fieldset>
        <legend>Member clusters</legend>
        {props.clusters.length === 0 && <p class="muted">No clusters registered yet.</p>}
        {props.clusters.map((c) => (
          <Check key={c.name} name="clusters" label={c.name} checked={members.includes(c.name)}
                 onChange={(on) => setMembers(on ? [...members, c.name] : members.filter((m) => m !== c.name))} />
        ))}
        {form.errors.clusters && <div class="field-error" role="alert">{form.errors.clusters}</div>}
      </fieldset>
      <Field label="Namespaces" name="namespaces" errors={form.errors} hint="What each member's backup takes; empty for all.">
        {(a) => <input {...a} value={namespaces} placeholder="all namespaces" onInput={(e) => setNamespaces((e.target as HTMLInputElement).value)} />}
      </Field>
      <div class="buttons"><button type="submit" class="primary" disabled={form.busy}>Create workspace</button></div>
    </form>
  );
}

const runsGoing = (d: { backups: Resource[]; restores: Resource[] }) =>
  [...d.backups, ...d.restores].some((r) => RUNNING.has(r.status.phase));

export function WorkspacePage(props: { name: string }) {
  const workspace = useLoad(async () => {
    const [w, clusters] = await Promise.all([get<Resource>(p('workspaces', props.name)), all<Resource>(p('clusters'))]);
    return { w, clusters };
  }, [props.name]);
  const runs = useLoad(async () => {
    const [backups, restores] = await Promise.all([
      all<Resource>(p('workspaces', props.name, 'backups')), all<Resource>(p('workspaces', props.name, 'restores'))]);
    return { backups: backups.sort(newestFirst), restores: restores.sort(newestFirst) };
  }, [props.name], 1500, runsGoing);
  const [open, setOpen] = useState(false);
  const [restoring, setRestoring] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const change = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      workspace.reload();
    } catch (e) {
      setError(message(e));
    }
  };
  return (
    <section>
      <p class="crumbs"><a href={href('workspaces')}>Workspaces</a> ›</p>
      <h1 tabIndex={-1}>Workspace {props.name}</h1>
      {error && <div class="banner error" role="alert">{error}</div>}
      <Status loaded={workspace}>
        {({ w, clusters }) => (
          <>
            <h2>Members</h2>
            {w.spec.clusters.length === 0 ? <Empty title="No member clusters">Add one below.</Empty> : (
              <ul class="members">
                {w.spec.clusters.map((c: string) => (
                  <li key={c}><a href={href('clusters', c)}>{c}</a>{' '}
                    <button type="button" class="link danger" onClick={() => change(() => del(p('workspaces', props.name, 'clusters', c)))}>
                      Remove<span class="sr-only"> {c}</span></button></li>
                ))}
              </ul>
            )}
            <AddMember clusters={clusters.filter((c) => !w.spec.clusters.includes(c.name))}
                       onAdd={(c) => change(() => post(p('workspaces', props.name, 'clusters'), { cluster: c }))} />
            <p class="muted small">Namespaces taken: {w.spec.namespaces?.length ? w.spec.namespaces.join(', ') : 'all'}</p>
          </>
        )}
      </Status>

      <h2>Workspace backups</h2>
      <Disclosure label="Back up workspace" open={open} setOpen={setOpen}>
        <WorkspaceBackupForm workspace={props.name} onStarted={() => { setOpen(false); runs.reload(); }} />
      </Disclosure>
      <Status loaded={runs}>
        {({ backups }) => backups.length === 0 ? <Empty title="No workspace backups yet" /> : (
          <div class="runs">
            {backups.map((b) => (
              <RunCard key={b.name} run={b} kind="backup">
                {(b.status.phase === 'Completed' || b.status.phase === 'PartiallyFailed') && (
                  restoring === b.name
                    ? <WorkspaceRestoreForm workspace={props.name} backup={b} clusters={workspace.data?.clusters ?? []}
                                            onDone={() => { setRestoring(undefined); runs.reload(); }} />
                    : <button type="button" class="secondary" onClick={() => setRestoring(b.name)}>Restore…<span class="sr-only"> {b.name}</span></button>
                )}
              </RunCard>
            ))}
          </div>
        )}
      </Status>

      <h2>Workspace restores</h2>
      <Status loaded={runs}>
        {({ restores }) => restores.length === 0 ? <Empty title="No workspace restores yet" /> : (
          <div class="runs">{restores.map((r) => <RunCard key={r.name} run={r} kind="restore" />)}</div>
        )}
      </Status>
    </section>
  );
}

function AddMember(props: { clusters: Resource[]; onAdd: (c: string) => void }) {
  const [chosen, setChosen] = useState('');
  if (props.clusters.length === 0) return null;
  const value = chosen || props.clusters[0].name;
  return (
    <form class="inline" onSubmit={(e) => { e.preventDefault(); props.onAdd(value); }}>
      <label for="add-member">Add a member</label>
      <select id="add-member" value={value} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
        {props.clusters.map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
      </select>
      <button type="submit" class="secondary">Add</button>
    </form>
  );
}

/** A workspace run, with one progress bar per member cluster. */
function RunCard(props: { run: Resource; kind: 'backup' | 'restore'; children?: any }) {
  const r = props.run;
  const children: any[] = r.status.children ?? [];
  return (
    <article class="run" data-run={r.name} aria-label={`Workspace ${props.kind} ${r.name}`}>
      <header>
        <h3>{r.name}</h3> <Phase phase={r.status.phase} />
        <span class="muted small"> started <Time at={r.createdAt} />
          {props.kind === 'backup' ? ` · to ${r.spec.location}` : ` · from ${r.spec.workspaceBackup}`}</span>
      </header>
      {children.length === 0 ? <p class="muted">No member cluster took part.</p> : (
        <table class="list compact" aria-label={`Clusters of ${r.name}`}>
          <thead><tr><th scope="col">Cluster</th><th scope="col">Progress</th><th scope="col">{props.kind === 'backup' ? 'Backup' : 'Restore'}</th><th scope="col">Note</th></tr></thead>
          <tbody>
            {children.map((c) => (
              <tr key={c.cluster} data-child={c.cluster}>
                <th scope="row"><a href={href('clusters', c.cluster)}>{c.cluster}</a></th>
                <td><Progress label={`${c.cluster} in ${r.name}`} phase={c.phase} done={c.progress?.items} total={c.progress?.totalItems} /></td>
                <td>{c.backup ? <a href={href('backups', c.backup)}>{c.backup}</a> : c.restore ? <a href={href('restores', c.restore)}>{c.restore}</a> : '—'}</td>
                <td>{c.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.children && <div class="run-actions">{props.children}</div>}
    </article>
  );
}

function WorkspaceBackupForm(props: { workspace: string; onStarted: () => void }) {
  const locations = useAvailableLocations();
  const [name, setName] = useState(() => defaultName(props.workspace));
  const [location, setLocation] = useState('');
  const [expires, setExpires] = useState(inDays(30));
  const [disks, setDisks] = useState(false);
  const [clusterResources, setClusterResources] = useState<boolean | undefined>(undefined);
  const chosen = location || (locations.data ?? []).find((l) => l.status.phase === 'Available')?.name || '';
  const form = useSubmit(async () => {
    await post(p('workspaces', props.workspace, 'backups'), {
      name: name.trim() || undefined, location: chosen || undefined, expiresAt: endOfDay(expires), includeDisks: disks,
      includeClusterResources: clusterResources,
    });
    props.onStarted();
  }, () => ['name', 'location', 'expiresAt', 'includeDisks', 'includeClusterResources']);
  return (
    <form class="form" onSubmit={form.submit} aria-label="Back up workspace" noValidate>
      <FormError text={form.general} />
      <Field label="Name" name="name" errors={form.errors} hint="Each member's backup is named <name>-<cluster>.">
        {(a) => <input {...a} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />}
      </Field>
      <Field label="Location" name="location" errors={form.errors}>
        {(a) => <LocationSelect attrs={a} value={chosen} onChange={setLocation} locations={locations.data} />}
      </Field>
      <Field label="Expires on" name="expiresAt" errors={form.errors}>
        {(a) => <input {...a} type="date" value={expires} onInput={(e) => setExpires((e.target as HTMLInputElement).value)} />}
      </Field>
      <Field label="Include cluster resources" name="includeClusterResources" errors={form.errors}>
        {(a) => <ClusterResourcesSelect attrs={a} value={clusterResources} onChange={setClusterResources} auto="When backing up all namespaces" />}
      </Field>
      <Check name="includeDisks" label="Include all disks" checked={disks} onChange={setDisks} />
      <div class="buttons"><button type="submit" class="primary" disabled={form.busy}>Start workspace backup</button></div>
    </form>
  );
}

function WorkspaceRestoreForm(props: { workspace: string; backup: Resource; clusters: Resource[]; onDone: () => void }) {
  const members: string[] = (props.backup.status.children ?? []).filter((c: any) => c.backup).map((c: any) => c.cluster);
  const [name, setName] = useState(() => defaultName(`${props.backup.name}`.slice(0, 40) + '-restore'));
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [policy, setPolicy] = useState<'none' | 'update'>('none');
  const [nodePorts, setNodePorts] = useState(true);
  const [pvs, setPvs] = useState(true);
  const form = useSubmit(async () => {
    const clusterMapping = Object.fromEntries(Object.entries(mapping).filter(([from, to]) => to && to !== from));
    await post(p('workspaces', props.workspace, 'restores'), {
      name: name.trim() || undefined, workspaceBackup: props.backup.name, clusterMapping, existingResourcePolicy: policy,
      preserveNodePorts: nodePorts, restorePVs: pvs,
    });
    props.onDone();
  }, () => ['name', 'workspaceBackup', 'clusterMapping', 'existingResourcePolicy']);
  return (
    <form class="form" onSubmit={form.submit} aria-label={`Restore ${props.backup.name}`} noValidate>
      <FormError text={form.general} />
      <Field label="Restore name" name="name" errors={form.errors}>
        {(a) => <input {...a} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />}
      </Field>
      <fieldset>
        <legend>Restore each member into</legend>
        {members.map((m) => (
          <div class="inline" key={m}>
            <label for={`map-${m}`}>{m} →</label>
            <select id={`map-${m}`} value={mapping[m] ?? m} onChange={(e) => setMapping({ ...mapping, [m]: (e.target as HTMLSelectElement).value })}>
              {props.clusters.map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
            </select>
          </div>
        ))}
        {form.errors.clusterMapping && <div class="field-error" role="alert">{form.errors.clusterMapping}</div>}
      </fieldset>
      <fieldset>
        <legend>Objects that already exist</legend>
        <div class="radios">
          <label><input type="radio" name="wsPolicy" checked={policy === 'none'} onChange={() => setPolicy('none')} /> Keep them, and warn</label>
          <label><input type="radio" name="wsPolicy" checked={policy === 'update'} onChange={() => setPolicy('update')} /> Update them</label>
        </div>
      </fieldset>
      <Check name="preserveNodePorts" label="Preserve NodePorts" checked={nodePorts} onChange={setNodePorts} />
      <Check name="restorePVs" label="Restore volumes from their snapshots" checked={pvs} onChange={setPvs} />
      <div class="buttons">
        <button type="submit" class="primary" disabled={form.busy}>Start workspace restore</button>
        <button type="button" class="secondary" onClick={props.onDone}>Cancel</button>
      </div>
    </form>
  );
}
