// Schedules: the list with each one's next run, pause and resume; and a new schedule, with the five choices of when,
// whose next runs the server computes (POST …/schedules/preview) and shows before it is saved.

import { useEffect, useState } from 'preact/hooks';
import { all, ApiError, del, p, post, Resource } from '../api';
import {
  Check, Disclosure, Empty, Field, FieldErrors, FormError, Phase, Status, Time, href, message, names, useLoad, useSubmit,
} from '../ui';
import { ClusterResourcesSelect, LocationSelect, useAvailableLocations } from './cluster';

type Choice = 'custom' | 'weekly' | 'biweekly' | 'monthly' | 'bimonthly';

const CHOICES: [Choice, string, string][] = [
  ['weekly', 'Weekly', 'Every Sunday at 00:00'],
  ['biweekly', 'Every two weeks', 'Every second Sunday at 00:00, from the first Sunday after it is created'],
  ['monthly', 'Monthly', 'The 1st of every month at 00:00'],
  ['bimonthly', 'Every two months', 'The 1st of every second month at 00:00, from the first 1st after it is created'],
  ['custom', 'Custom', 'Month, day and time of your choosing, as in cron'],
];

const CUSTOM_FIELDS: [string, string, string][] = [
  ['month', 'Month', '1-12'],
  ['dayOfMonth', 'Day of month', '1-31'],
  ['dayOfWeek', 'Day of week', '0-7, 0 and 7 are Sunday'],
  ['hour', 'Hour', '0-23'],
  ['minute', 'Minute', '0-59'],
];

function describe(s: Resource) {
  const when = s.spec.schedule ?? {};
  if (when.preset) {
    return CHOICES.find(([id]) => id === when.preset)?.[1] ?? when.preset;
  }
  const c = when.custom ?? {};
  return `Custom: ${CUSTOM_FIELDS.map(([k, label]) => `${label.toLowerCase()} ${c[k] ?? '*'}`).join(', ')}`;
}

function inZone(at: string, zone: string) {
  try {
    return new Date(at).toLocaleString(undefined, { timeZone: zone, weekday: 'short', year: 'numeric', month: 'short',
      day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  } catch {
    return at;
  }
}

export function SchedulesPage() {
  const loaded = useLoad(() => all<Resource>(p('schedules')), []);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const act = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      loaded.reload();
    } catch (e) {
      setError(message(e));
    }
  };
  return (
    <section>
      <h1 tabIndex={-1}>Schedules</h1>
      <p class="lead">Backups taken on a schedule, of a cluster or of every cluster of a workspace, each kept for its retention.</p>
      <Disclosure label="New schedule" open={open} setOpen={setOpen}>
        <ScheduleForm onCreated={() => { setOpen(false); loaded.reload(); }} />
      </Disclosure>
      {error && <div class="banner error" role="alert">{error}</div>}
      <Status loaded={loaded}>
        {(schedules) => schedules.length === 0
          ? <Empty title="No schedules yet">Create one to back up a cluster or a workspace regularly.</Empty>
          : (
            <table class="list" aria-label="Schedules">
              <thead>
                <tr><th scope="col">Name</th><th scope="col">Backs up</th><th scope="col">When</th><th scope="col">State</th>
                  <th scope="col">Next run</th><th scope="col">Last backup</th><th scope="col"><span class="sr-only">Actions</span></th></tr>
              </thead>
              <tbody>
                {schedules.map((s) => (
                  <tr key={s.name} data-schedule={s.name}>
                    <th scope="row">{s.name}</th>
                    <td>{s.spec.cluster ? <a href={href('clusters', s.spec.cluster)}>{s.spec.cluster}</a>
                      : <>workspace <a href={href('workspaces', s.spec.workspace)}>{s.spec.workspace}</a></>}
                      <div class="muted small">to {s.spec.location}, kept {s.spec.retentionDays} days{keepText(s.spec.keep)}{s.spec.verifyAfter ? '; each one verified' : ''}</div></td>
                    <td>{describe(s)}<div class="muted small">{s.spec.timeZone}</div></td>
                    <td><Phase phase={s.status.phase} />
                      {s.status.lastError && <div class="error-text small">{s.status.lastError}</div>}</td>
                    <td data-next-run>{s.status.nextRunAt ? <><Time at={s.status.nextRunAt} />
                      <div class="muted small">{inZone(s.status.nextRunAt, s.spec.timeZone)}</div></> : '—'}</td>
                    <td>{s.status.lastBackup ? <a href={href('backups', s.status.lastBackup)}>{s.status.lastBackup}</a> : '—'}</td>
                    <td class="actions">
                      {s.status.phase === 'Paused'
                        ? <button type="button" class="secondary" onClick={() => act(() => post(p('schedules', s.name, 'resume')))}>
                            Resume<span class="sr-only"> {s.name}</span></button>
                        : <button type="button" class="secondary" onClick={() => act(() => post(p('schedules', s.name, 'pause')))}>
                            Pause<span class="sr-only"> {s.name}</span></button>}
                      <button type="button" class="danger"
                              onClick={() => window.confirm(`Delete schedule ${s.name}? Its backups stay.`) && act(() => del(p('schedules', s.name)))}>
                        Delete<span class="sr-only"> {s.name}</span></button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      </Status>
    </section>
  );
}

function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function ScheduleForm(props: { onCreated: () => void }) {
  const targets = useLoad(async () => {
    const [clusters, workspaces] = await Promise.all([all<Resource>(p('clusters')), all<Resource>(p('workspaces'))]);
    return { clusters, workspaces };
  }, []);
  const locations = useAvailableLocations();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'cluster' | 'workspace'>('cluster');
  const [target, setTarget] = useState('');
  const [location, setLocation] = useState('');
  const [retention, setRetention] = useState('30');
  const [choice, setChoice] = useState<Choice>('weekly');
  const [custom, setCustom] = useState<Record<string, string>>({ hour: '2', minute: '0' });
  const [zone, setZone] = useState(browserZone);
  const [disks, setDisks] = useState(false);
  const [verify, setVerify] = useState(false);
  const [clusterResources, setClusterResources] = useState<boolean | undefined>(undefined);
  const [namespaces, setNamespaces] = useState('');
  const [keep, setKeep] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<{ runs?: string[]; errors: FieldErrors; general?: string }>({ errors: {} });

  const options = kind === 'cluster' ? targets.data?.clusters ?? [] : targets.data?.workspaces ?? [];
  const chosenTarget = target || options[0]?.name || '';
  const chosenLocation = location || (locations.data ?? []).find((l) => l.status.phase === 'Available')?.name || '';
  const when = () => choice === 'custom'
    ? { custom: Object.fromEntries(Object.entries(custom).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()])) }
    : { preset: choice };

  // the next runs, from the server's own rules, each time the choice, its fields or the zone change
  useEffect(() => {
    let alive = true;
    const timer = window.setTimeout(async () => {
      try {
        const answer = await post<{ nextRuns: string[] }>(p('schedules', 'preview'), { schedule: when(), timeZone: zone.trim() || undefined, count: 5 });
        if (alive) setPreview({ runs: answer.nextRuns, errors: {} });
      } catch (e) {
        if (!alive) return;
        const field = e instanceof ApiError && e.field
          ? (e.field.startsWith('schedule.custom.') ? e.field.substring('schedule.'.length) : e.field) : undefined;
        if (field && (field.startsWith('custom.') || field === 'timeZone')) {
          setPreview({ errors: { [field]: (e as ApiError).message } });
        } else {
          // a rule that never runs (schedule.custom), or anything else: said in the preview itself
          setPreview({ errors: {}, general: message(e) });
        }
      }
    }, 250);
    return () => {
      alive = false;
      window.clearTimeout(timer);
    };
  }, [choice, JSON.stringify(custom), zone]);

  const form = useSubmit(async () => {
    await post(p('schedules'), {
      name: name.trim() || undefined, [kind]: chosenTarget || undefined, location: chosenLocation || undefined,
      retentionDays: retention.trim() === '' ? undefined : Number(retention), schedule: when(), timeZone: zone.trim() || undefined,
      includeDisks: disks, includeClusterResources: clusterResources, namespaces: names(namespaces),
      keep: keepBody(keep), verifyAfter: verify || undefined,
    });
    props.onCreated();
  }, () => ['name', 'cluster', 'workspace', 'location', 'retentionDays', 'schedule.custom', 'schedule', 'timeZone', 'namespaces', 'prefix',
    'keep', ...KEEP_RULES.map(([rule]) => `keep.${rule}`), 'verifyAfter']);
  // a custom field's error, from the preview or the create, shows under that field
  const errors: FieldErrors = { ...form.errors, ...preview.errors };
  if (form.errors['schedule.custom']) {
    const m = /^schedule\.custom\.(\w+): (.*)$/.exec(form.errors['schedule.custom']);
    if (m) errors[`custom.${m[1]}`] = m[2];
  }

  return (
    <form class="form wide" onSubmit={form.submit} aria-label="New schedule" noValidate>
      <FormError text={form.general ?? targets.error} />
      <Field label="Name" name="name" errors={errors} hint="Its backups are named <name>-<yyyyMMddHHmmss>.">
        {(a) => <input {...a} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} autoComplete="off" />}
      </Field>
      <fieldset>
        <legend>Back up</legend>
        <div class="radios">
          <label><input type="radio" name="kind" checked={kind === 'cluster'} onChange={() => { setKind('cluster'); setTarget(''); }} /> a cluster</label>
          <label><input type="radio" name="kind" checked={kind === 'workspace'} onChange={() => { setKind('workspace'); setTarget(''); }} /> every cluster of a workspace</label>
        </div>
        <Field label={kind === 'cluster' ? 'Cluster' : 'Workspace'} name={kind} errors={errors}>
          {(a) => (
            <select {...a} value={chosenTarget} onChange={(e) => setTarget((e.target as HTMLSelectElement).value)}>
              {options.length === 0 && <option value="">No {kind} yet</option>}
              {options.map((o) => <option key={o.name} value={o.name}>{o.name}</option>)}
            </select>
          )}
        </Field>
      </fieldset>
      <Field label="Location" name="location" errors={errors}>
        {(a) => <LocationSelect attrs={a} value={chosenLocation} onChange={setLocation} locations={locations.data} />}
      </Field>

      <fieldset class="when">
        <legend>When</legend>
        <div class="radios column">
          {CHOICES.map(([id, label, hint]) => (
            <label key={id}>
              <input type="radio" name="when" value={id} checked={choice === id} onChange={() => setChoice(id)} />{' '}
              <strong>{label}</strong> <span class="muted">— {hint}</span>
            </label>
          ))}
        </div>
        {choice === 'custom' && (
          <div class="custom-fields">
            {CUSTOM_FIELDS.map(([key, label, range]) => (
              <Field key={key} label={label} name={`custom.${key}`} errors={errors} hint={`${range}; a list 1,15, a range 1-5, or *`}>
                {(a) => <input {...a} size={6} value={custom[key] ?? ''} placeholder="*"
                               onInput={(e) => setCustom({ ...custom, [key]: (e.target as HTMLInputElement).value })} />}
              </Field>
            ))}
          </div>
        )}
        <Field label="Time zone" name="timeZone" errors={errors} hint="An IANA name, such as Europe/Berlin or UTC.">
          {(a) => <input {...a} value={zone} onInput={(e) => setZone((e.target as HTMLInputElement).value)} autoComplete="off" />}
        </Field>
        <div class="preview" aria-live="polite" data-preview>
          <h3>Next runs</h3>
          {preview.general && <div class="error-text">{preview.general}</div>}
          {preview.runs
            ? <ol>{preview.runs.map((r) => <li key={r} data-run={r}>{inZone(r, zone)}</li>)}</ol>
            : Object.keys(preview.errors).length > 0 ? <p class="muted">Correct the fields above to see the next runs.</p> : <p class="muted">…</p>}
        </div>
      </fieldset>

      <Field label="Keep each backup for (days)" name="retentionDays" errors={errors}>
        {(a) => <input {...a} type="number" min={1} value={retention} onInput={(e) => setRetention((e.target as HTMLInputElement).value)} />}
      </Field>
      <fieldset class="keep">
        <legend>Also keep, past their expiry</legend>
        <p class="muted small">The newest completed backup is always kept. Days, weeks and months are those of the time zone above.</p>
        {errors.keep && <div class="error-text" role="alert">{errors.keep}</div>}
        <div class="custom-fields">
          {KEEP_RULES.map(([rule, label]) => (
            <Field key={rule} label={label} name={`keep.${rule}`} errors={errors}>
              {(a) => <input {...a} type="number" min={0} size={6} value={keep[rule] ?? ''} placeholder="0"
                             onInput={(e) => setKeep({ ...keep, [rule]: (e.target as HTMLInputElement).value })} />}
            </Field>
          ))}
        </div>
      </fieldset>
      <Field label="Namespaces" name="namespaces" errors={errors} hint="Separated by commas or spaces; empty for all.">
        {(a) => <input {...a} value={namespaces} placeholder="all namespaces" onInput={(e) => setNamespaces((e.target as HTMLInputElement).value)} />}
      </Field>
      <Field label="Include cluster resources" name="includeClusterResources" errors={errors}>
        {(a) => <ClusterResourcesSelect attrs={a} value={clusterResources} onChange={setClusterResources} auto="When backing up all namespaces" />}
      </Field>
      <Check name="includeDisks" label="Include all disks" checked={disks} onChange={setDisks} hint="A CSI VolumeSnapshot of every bound volume claim." />
      <Check name="verifyAfter" label="Verify each backup's files once it has finished" checked={verify} onChange={setVerify}
             hint="Each archive read back and checked, without restoring it." />
      <div class="buttons">
        <button type="submit" class="primary" disabled={form.busy}>{form.busy ? 'Saving…' : 'Create schedule'}</button>
      </div>
    </form>
  );
}

/** Retention by count: each rule and its label in the form. */
const KEEP_RULES: [string, string][] = [['last', 'the last N backups'], ['daily', 'one a day, for D days'],
  ['weekly', 'one a week, for W weeks'], ['monthly', 'one a month, for M months']];

/** The rules given, as the API takes them; none given: no keep at all. */
function keepBody(keep: Record<string, string>): Record<string, number> | undefined {
  const given = Object.entries(keep).filter(([, v]) => v.trim() !== '');
  return given.length === 0 ? undefined : Object.fromEntries(given.map(([k, v]) => [k, Number(v)]));
}

/** ", and the last 3, daily 7" for a schedule with retention by count; "" without. */
function keepText(keep?: Record<string, number>): string {
  const rules = KEEP_RULES.map(([rule]) => rule).filter((rule) => (keep?.[rule] ?? 0) > 0);
  return rules.length === 0 ? '' : `, and the ${rules.map((rule) => `${rule} ${keep![rule]}`).join(', ')}`;
}
