// What changed from one backup to another (GET …/backups/{a}/diff/{b}): the counts, then per type the objects added,
// removed and changed, each changed one with its JSON Patch (what servers own left out) when the diff made one.

import { get, p } from '../api';
import { Empty, Status, href, useLoad } from '../ui';

interface Changed { name: string; patch?: { op: string; path: string; value?: unknown; from?: string }[] | null }
interface TypeChanges { resource: string; added: string[]; removed: string[]; changed: Changed[]; unchanged: number }
interface Diff {
  from: string;
  to: string;
  summary: { added: number; removed: number; changed: number; unchanged: number };
  types: TypeChanges[];
  patchesOmitted: number;
}

/** One operation of a patch, as a line: "replace /data/color "red"". */
function operation(op: NonNullable<Changed['patch']>[number]) {
  const value = op.value === undefined ? '' : ` ${JSON.stringify(op.value)}`;
  return `${op.op} ${op.path}${op.from ? ` from ${op.from}` : ''}${value}`;
}

export function BackupDiffPage(props: { from: string; to: string }) {
  const diff = useLoad(() => get<Diff>(p('backups', props.from, 'diff', props.to)), [props.from, props.to]);
  return (
    <section>
      <p class="crumbs"><a href={href('backups', props.from)}>Backup {props.from}</a> ›</p>
      <h1 tabIndex={-1}>Changes from {props.from} to {props.to}</h1>
      <Status loaded={diff}>
        {(d) => (
          <>
            <p class="lead" data-diff-summary>
              {d.summary.added} added, {d.summary.removed} removed, {d.summary.changed} changed, {d.summary.unchanged} unchanged.
              {' '}Fields the server owns (resource versions, status, managed fields) are not compared.
            </p>
            {d.patchesOmitted > 0 &&
              <div class="banner info" role="status">{d.patchesOmitted} changed objects are listed without their changes
                (the diff keeps at most its limit of patches).</div>}
            {d.types.length === 0 ? <Empty title="No differences">Both backups hold the same objects.</Empty> : (
              <table class="list compact" aria-label="Changes">
                <thead><tr><th scope="col">Resource</th><th scope="col">Object</th><th scope="col">Change</th>
                  <th scope="col">Fields</th></tr></thead>
                <tbody>
                  {d.types.flatMap((t) => [
                    ...t.added.map((name) => <Row key={`+${t.resource}/${name}`} type={t.resource} name={name} change="added" />),
                    ...t.removed.map((name) => <Row key={`-${t.resource}/${name}`} type={t.resource} name={name} change="removed" />),
                    ...t.changed.map((c) => <Row key={`~${t.resource}/${c.name}`} type={t.resource} name={c.name} change="changed"
                                                 patch={c.patch} />),
                  ])}
                </tbody>
              </table>
            )}
          </>
        )}
      </Status>
    </section>
  );
}

function Row(props: { type: string; name: string; change: 'added' | 'removed' | 'changed'; patch?: Changed['patch'] }) {
  return (
    <tr data-diff-item={`${props.type} ${props.name}`} data-change={props.change} class={`change-${props.change}`}>
      <th scope="row"><code>{props.type}</code></th>
      <td>{props.name}</td>
      <td>{props.change}</td>
      <td>{props.change !== 'changed' ? '' : props.patch
        ? <ul class="patch">{props.patch.map((op, i) => <li key={i}><code>{operation(op)}</code></li>)}</ul>
        : <span class="muted">not shown</span>}</td>
    </tr>
  );
}
