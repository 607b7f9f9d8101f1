// Restoring a backup: the target cluster and the options (namespaces and their new names, storage classes mapped to
// the target's own, what to do with existing objects, NodePorts, volumes), or only a dry run of it; and one restore's
// progress and results, and a dry run's plan.

import { useState } from 'preact/hooks';
import { all, get, p, post, Resource } from '../api';
import {
  Check, Empty, Field, FormError, Phase, Progress, RUNNING, Status, Time, go, href, useLoad, useSubmit,
} from '../ui';
import { ClusterResourcesSelect, defaultName } from './cluster';
import { Log, resultLines } from './backup';

/** The namespaces and storage classes a backup's resource list names ("v1/Namespace": ["demo"], "apps/v1/Deployment": ["demo/web"]). */
function contents(list: Record<string, string[]>) {
  const namespaces = new Set<string>();
  for (const [kind, items] of Object.entries(list)) {
    if (kind === 'v1/Namespace') items.forEach((n) => namespaces.add(n));
    items.filter((i) => i.includes('/')).forEach((i) => namespaces.add(i.split('/')[0]));
  }
  const classes = list['storage.k8s.io/v1/StorageClass'] ?? [];
  return { namespaces: [...namespaces].sort(), classes: [...classes].sort() };
}

export function RestoreFormPage(props: { backup: string }) {
  const loaded = useLoad(async () => {
    const [backup, clusters, resources] = await Promise.all([
      get<Resource>(p('backups', props.backup)),
      all<Resource>(p('clusters')),
      get<Record<string, string[]>>(p('backups', props.backup, 'resources')),
    ]);
    return { backup, clusters, ...contents(resources) };
  }, [props.backup]);
  return (
    <section>
      <p class="crumbs"><a href={href('clusters')}>Clusters</a> › <a href={href('backups', props.backup)}>{props.backup}</a> ›</p>
      <h1 tabIndex={-1}>Restore {props.backup}</h1>
      <Status loaded={loaded}>
        {(d) => d.clusters.length === 0
          ? <Empty title="No cluster to restore into">Register a cluster first.</Empty>
          : <RestoreForm {...d} />}
      </Status>
    </section>
  );
}

function RestoreForm(props: { backup: Resource; clusters: Resource[]; namespaces: string[]; classes: string[] }) {
  const [name, setName] = useState(() => defaultName(`${props.backup.name}`.slice(0, 40) + '-restore'));
  const [target, setTarget] = useState(props.backup.spec.cluster ?? props.clusters[0].name);
  const [chosen, setChosen] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [classMapping, setClassMapping] = useState<Record<string, string>>({});
  const [extraClass, setExtraClass] = useState('');
  const [sourceClasses, setSourceClasses] = useState<string[]>(props.classes);
  const [policy, setPolicy] = useState<'none' | 'update'>('none');
  const [nodePorts, setNodePorts] = useState(true);
  const [pvs, setPvs] = useState(true);
  const [clusterResources, setClusterResources] = useState<boolean | undefined>(undefined);
  const [dryRun, setDryRun] = useState(false);
  const targetClasses = useLoad(() => get<{ items: { name: string; provisioner?: string; default: boolean }[] }>(
    p('clusters', target, 'storageclasses')), [target]);

  const shown = chosen.length > 0 ? chosen : props.namespaces;
  const form = useSubmit(async () => {
    const namespaceMapping: Record<string, string> = {};
    for (const ns of shown) {
      const to = (mapping[ns] ?? '').trim();
      if (to && to !== ns) namespaceMapping[ns] = to;
    }
    const storageClassMapping: Record<string, string> = {};
    for (const [from, to] of Object.entries(classMapping)) {
      if (to) storageClassMapping[from] = to;
    }
    const created = await post<Resource>(p('restores'), {
      name: name.trim() || undefined, backup: props.backup.name, targetCluster: target, namespaces: chosen,
      namespaceMapping, storageClassMapping, existingResourcePolicy: policy, preserveNodePorts: nodePorts, restorePVs: pvs,
      includeClusterResources: clusterResources, dryRun: dryRun || undefined,
    });
    // a dry run's plan is on its own page; a restore shows on its cluster's
    if (dryRun) go('restores', created.name); else go('clusters', target);
  }, () => ['name', 'targetCluster', 'namespaces', 'namespaceMapping', 'storageClassMapping', 'existingResourcePolicy',
    'preserveNodePorts', 'restorePVs', 'includeClusterResources', 'dryRun']);

  const toggle = (ns: string, on: boolean) => setChosen(on ? [...chosen, ns] : chosen.filter((n) => n !== ns));
  return (
    <form class="form wide" onSubmit={form.submit} aria-label="Restore" noValidate>
      <FormError text={form.general} />
      <Field label="Restore name" name="name" errors={form.errors}>
        {(a) => <input {...a} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} autoComplete="off" />}
      </Field>
      <Field label="Target cluster" name="targetCluster" errors={form.errors}>
        {(a) => (
          <select {...a} value={target} onChange={(e) => { setTarget((e.target as HTMLSelectElement).value); setClassMapping({}); }}>
            {props.clusters.map((c) => <option key={c.name} value={c.name}>{c.name} ({c.status.health})</option>)}
          </select>
        )}
      </Field>

      <fieldset>
        <legend>Namespaces</legend>
        {props.namespaces.length === 0 ? <p class="muted">The backup holds no namespaced objects.</p> : (
          <>
            <p class="hint">None ticked restores them all. Give a new name to restore a namespace under another.</p>
            <table class="list compact" aria-label="Namespaces to restore">
              <thead><tr><th scope="col">Restore</th><th scope="col">Namespace</th><th scope="col">Restore into</th></tr></thead>
              <tbody>
                {props.namespaces.map((ns) => (
                  <tr key={ns}>
                    <td><input type="checkbox" id={`ns-${ns}`} checked={chosen.includes(ns)}
                               onChange={(e) => toggle(ns, (e.target as HTMLInputElement).checked)} /></td>
                    <th scope="row"><label for={`ns-${ns}`}>{ns}</label></th>
                    <td><input aria-label={`New name for namespace ${ns}`} data-map-namespace={ns} value={mapping[ns] ?? ''}
                               placeholder={ns} disabled={chosen.length > 0 && !chosen.includes(ns)}
                               onInput={(e) => setMapping({ ...mapping, [ns]: (e.target as HTMLInputElement).value })} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        {(form.errors.namespaces || form.errors.namespaceMapping) &&
          <div class="field-error" role="alert">{form.errors.namespaces ?? form.errors.namespaceMapping}</div>}
      </fieldset>

      <fieldset>
        <legend>Storage classes</legend>
        <Status loaded={targetClasses}>
          {(tc) => (
            <>
              {tc.items.length === 0 && <p class="muted">Cluster {target} offers no storage class: volumes keep the classes they had.</p>}
              {sourceClasses.length === 0 && <p class="muted">The backup names no storage class.</p>}
              {sourceClasses.length > 0 && (
                <table class="list compact" aria-label="Storage class mapping">
                  <thead><tr><th scope="col">In the backup</th><th scope="col">On {target}</th></tr></thead>
                  <tbody>
                    {sourceClasses.map((from) => (
                      <tr key={from}>
                        <th scope="row"><label for={`sc-${from}`}>{from}</label></th>
                        <td>
                          <select id={`sc-${from}`} data-map-class={from} value={classMapping[from] ?? ''}
                                  onChange={(e) => setClassMapping({ ...classMapping, [from]: (e.target as HTMLSelectElement).value })}>
                            <option value="">keep {from}</option>
                            {tc.items.map((c) => (
                              <option key={c.name} value={c.name}>{c.name}{c.default ? ' (default)' : ''}{c.provisioner ? ` — ${c.provisioner}` : ''}</option>
                            ))}
                          </select>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <div class="inline">
                <label for="extra-class">Another class to map</label>
                <input id="extra-class" value={extraClass} onInput={(e) => setExtraClass((e.target as HTMLInputElement).value)} />
                <button type="button" class="secondary" onClick={() => {
                  const c = extraClass.trim();
                  if (c && !sourceClasses.includes(c)) setSourceClasses([...sourceClasses, c]);
                  setExtraClass('');
                }}>Add</button>
              </div>
            </>
          )}
        </Status>
        {form.errors.storageClassMapping && <div class="field-error" role="alert">{form.errors.storageClassMapping}</div>}
      </fieldset>

      <fieldset>
        <legend>Objects that already exist</legend>
        <div class="radios">
          <label><input type="radio" name="existingResourcePolicy" checked={policy === 'none'} onChange={() => setPolicy('none')} />
            {' '}Keep them, and warn (none)</label>
          <label><input type="radio" name="existingResourcePolicy" checked={policy === 'update'} onChange={() => setPolicy('update')} />
            {' '}Update them to the backup's version (update)</label>
        </div>
      </fieldset>
      <Field label="Include cluster resources" name="includeClusterResources" errors={form.errors}>
        {(a) => <ClusterResourcesSelect attrs={a} value={clusterResources} onChange={setClusterResources}
                                        auto="When restoring all namespaces" />}
      </Field>
      <Check name="preserveNodePorts" label="Preserve NodePorts" checked={nodePorts} onChange={setNodePorts}
             hint="Keep the node ports services had; otherwise the target assigns new ones." />
      <Check name="restorePVs" label="Restore volumes from their snapshots" checked={pvs} onChange={setPvs}
             hint="Claims with a CSI snapshot in the backup are provisioned from it." />
      <Check name="dryRun" label="Dry run: only plan it" checked={dryRun} onChange={setDryRun}
             hint="Reads the backup and the target and says what the restore would do with each object; writes nothing to the cluster." />
      <div class="buttons">
        <button type="submit" class="primary" disabled={form.busy}>
          {form.busy ? 'Starting…' : dryRun ? `Plan a restore into ${target}` : `Restore into ${target}`}</button>
      </div>
    </form>
  );
}

export function RestorePage(props: { name: string }) {
  const restore = useLoad(() => get<Resource>(p('restores', props.name)), [props.name], 1500, (r) => RUNNING.has(r.status.phase));
  return (
    <section>
      <Status loaded={restore}>
        {(r) => {
          const errors = resultLines(r.status.results?.errors);
          const warnings = resultLines(r.status.results?.warnings);
          return (
            <>
              <p class="crumbs"><a href={href('clusters')}>Clusters</a> › <a href={href('clusters', r.spec.targetCluster)}>{r.spec.targetCluster}</a> ›</p>
              <h1 tabIndex={-1}>Restore {r.name}</h1>
              {r.spec.dryRun && <div class="banner info" role="status">A dry run: nothing is written to {r.spec.targetCluster}.</div>}
              <Progress label={`Restore ${r.name}`} phase={r.status.phase} done={r.status.progress?.itemsRestored} total={r.status.progress?.totalItems} />
              <dl class="facts">
                <div><dt>Phase</dt><dd><Phase phase={r.status.phase} /></dd></div>
                <div><dt>Backup</dt><dd><a href={href('backups', r.spec.backup)}>{r.spec.backup}</a></dd></div>
                <div><dt>Into</dt><dd>{r.spec.targetCluster}</dd></div>
                <div><dt>Namespaces</dt><dd>{r.spec.namespaces?.length ? r.spec.namespaces.join(', ') : 'all'}</dd></div>
                <div><dt>Namespace mapping</dt><dd>{Object.entries(r.spec.namespaceMapping ?? {}).map(([a, b]) => `${a} → ${b}`).join(', ') || '—'}</dd></div>
                <div><dt>Storage classes</dt><dd>{Object.entries(r.spec.storageClassMapping ?? {}).map(([a, b]) => `${a} → ${b}`).join(', ') || '—'}</dd></div>
                <div><dt>Existing objects</dt><dd>{r.spec.existingResourcePolicy}</dd></div>
                <div><dt>Started</dt><dd><Time at={r.status.startedAt} /></dd></div>
                <div><dt>Completed</dt><dd><Time at={r.status.completedAt} /></dd></div>
                <div><dt>Warnings / errors</dt><dd>{r.status.warnings} / {r.status.errors}</dd></div>
                {r.status.plan && <div><dt>Plan</dt><dd data-plan>would create {r.status.plan.create}, update {r.status.plan.update},
                  leave {r.status.plan.conflict} that differ, skip {r.status.plan.identical} identical,
                  refuse {r.status.plan.refused}, exclude {r.status.plan.excluded}</dd></div>}
              </dl>
              {!RUNNING.has(r.status.phase) && (
                <>
                  <h2>Warnings and errors</h2>
                  {errors.length === 0 && warnings.length === 0 ? <Empty title="No warnings and no errors" /> : (
                    <>
                      {errors.length > 0 && <><h3>Errors</h3><ul class="messages errors">{errors.map((m, i) => <li key={i}>{m}</li>)}</ul></>}
                      {warnings.length > 0 && <><h3>Warnings</h3><ul class="messages warnings">{warnings.map((m, i) => <li key={i}>{m}</li>)}</ul></>}
                      {(r.status.errors > errors.length || r.status.warnings > warnings.length) &&
                        <p class="muted small">The first 20 of each are shown; the log and the results file hold them all.</p>}
                    </>
                  )}
                  {r.spec.dryRun && r.status.plan && <><h2>Plan</h2><Plan restore={r.name} /></>}
                  <h2>Log</h2>
                  <Log path={p('restores', r.name, 'logs')} />
                </>
              )}
            </>
          );
        }}
      </Status>
    </section>
  );
}

/** The most items of a plan shown in its table; the rest are in the plan file. */
const PLAN_ROWS = 500;

/** A dry run's plan: what the restore would do with each item, and why; a patch against the live object under it. */
function Plan(props: { restore: string }) {
  const plan = useLoad(() => get<any>(p('restores', props.restore, 'plan')), [props.restore]);
  return (
    <Status loaded={plan}>
      {(pl) => {
        const items: any[] = pl.items ?? [];
        return items.length === 0 ? <Empty title="The plan holds no items" /> : (
          <>
            <table class="list compact" aria-label="Plan">
              <thead><tr><th scope="col">Resource</th><th scope="col">Object</th><th scope="col">Action</th>
                <th scope="col">Why, and the change</th></tr></thead>
              <tbody>
                {items.slice(0, PLAN_ROWS).map((item, i) => (
                  <tr key={i} data-plan-item={`${item.resource} ${item.namespace ? item.namespace + '/' : ''}${item.name}`}
                      data-action={item.action}>
                    <td><code>{item.resource}</code></td>
                    <th scope="row">{item.namespace ? `${item.namespace}/` : ''}{item.name}</th>
                    <td>{item.action}</td>
                    <td>{item.reason ?? ''}
                      {item.patch?.length > 0 && (
                        <details><summary>{item.patch.length} change{item.patch.length === 1 ? '' : 's'}</summary>
                          <pre>{item.patch.map((op: any) => JSON.stringify(op)).join('\n')}</pre></details>
                      )}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {items.length > PLAN_ROWS && <p class="muted small">The first {PLAN_ROWS} of {items.length} items are shown; the plan file
              (<code>GET …/restores/{props.restore}/plan</code>) holds them all.</p>}
          </>
        );
      }}
    </Status>
  );
}
