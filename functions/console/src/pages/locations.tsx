// Backup locations: the list with each one's state and reason, a form per provider, "Validate now", delete.

import { useState } from 'preact/hooks';
import { all, del, p, post, Resource } from '../api';
import { Check, Disclosure, Empty, Field, FieldErrors, FormError, Phase, Status, Time, message, useLoad, useSubmit } from '../ui';

type Provider = 'minio' | 'aws' | 'gcp' | 'azure';

const PROVIDERS: [Provider, string][] = [
  ['minio', 'MinIO or S3-compatible'],
  ['aws', 'Amazon S3'],
  ['gcp', 'Google Cloud Storage'],
  ['azure', 'Azure Blob'],
];

function bucketOf(l: Resource) {
  return l.spec.bucket ?? l.spec.container ?? '';
}

export function LocationsPage() {
  const loaded = useLoad(() => all<Resource>(p('locations')), []);
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  return (
    <section>
      <h1 tabIndex={-1}>Backup locations</h1>
      <p class="lead">Where backups are written. Each location is checked when it is added, every 5 minutes, and on demand: the bucket
        must exist, and a probe object must be written, read, listed and deleted.</p>
      <Disclosure label="Add location" open={open} setOpen={setOpen}>
        <LocationForm onCreated={(l) => {
          setOpen(false);
          setNotice(`Location ${l.name} added: ${l.status.phase}${l.status.reason ? ` (${l.status.reason})` : ''}`);
          loaded.reload();
        }} />
      </Disclosure>
      {notice && <div class="banner info" role="status">{notice}</div>}
      <Status loaded={loaded}>
        {(locations) => locations.length === 0
          ? <Empty title="No backup locations yet">Add one to have somewhere to write backups.</Empty>
          : <LocationTable locations={locations} reload={loaded.reload} />}
      </Status>
    </section>
  );
}

function LocationTable(props: { locations: Resource[]; reload: () => void }) {
  const [busy, setBusy] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const act = async (name: string, action: () => Promise<unknown>) => {
    setBusy(name);
    setError(undefined);
    try {
      await action();
      props.reload();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <>
      {error && <div class="banner error" role="alert">{error}</div>}
      <table class="list" aria-label="Backup locations">
        <thead>
          <tr><th scope="col">Name</th><th scope="col">Provider</th><th scope="col">Bucket</th><th scope="col">State</th>
            <th scope="col">Reason</th><th scope="col">Last checked</th><th scope="col"><span class="sr-only">Actions</span></th></tr>
        </thead>
        <tbody>
          {props.locations.map((l) => (
            <tr key={l.name} data-location={l.name}>
              <th scope="row">{l.name}</th>
              <td>{PROVIDERS.find(([id]) => id === l.spec.provider)?.[1] ?? l.spec.provider}</td>
              <td><code>{bucketOf(l)}</code>{l.spec.prefix && <span class="muted">/{l.spec.prefix}</span>}
                {(l.spec.encryption || l.spec.immutability) && <div class="muted small" data-protection>
                  {[l.spec.encryption && `encrypted (${l.spec.encryption.kmsKeyId})`,
                    l.spec.immutability && `locked ${l.spec.immutability.days} days, ${l.spec.immutability.mode}`]
                    .filter(Boolean).join('; ')}</div>}</td>
              <td><Phase phase={l.status.phase} /></td>
              <td class="reason">
                {l.status.reason && <strong data-reason>{l.status.reason}</strong>}
                {l.status.reason && l.status.message && <div class="muted small">{l.status.message}</div>}
              </td>
              <td><Time at={l.status.lastValidatedAt} /></td>
              <td class="actions">
                <button type="button" class="secondary" disabled={busy === l.name}
                        onClick={() => act(l.name, () => post(p('locations', l.name, 'validate')))}>
                  {busy === l.name ? 'Checking…' : 'Validate now'}
                  <span class="sr-only"> {l.name}</span>
                </button>
                <button type="button" class="danger" disabled={busy === l.name}
                        onClick={() => window.confirm(`Delete location ${l.name}? Backups in the bucket stay.`)
                          && act(l.name, () => del(p('locations', l.name)))}>
                  Delete<span class="sr-only"> {l.name}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The fields each provider takes, as the API names them (a nested one with a dot: credentials.accessKeyId). */
function LocationForm(props: { onCreated: (l: Resource) => void }) {
  const [provider, setProvider] = useState<Provider>('minio');
  const [values, setValues] = useState<Record<string, string>>({});
  const [forcePathStyle, setForcePathStyle] = useState(true);
  const [awsAuth, setAwsAuth] = useState<'keys' | 'sts'>('keys');
  const value = (k: string) => values[k] ?? '';
  const set = (k: string) => (e: Event) => setValues({ ...values, [k]: (e.target as HTMLInputElement).value });
  const opt = (k: string) => (value(k).trim() === '' ? undefined : value(k).trim());

  const body = () => {
    const b: Record<string, unknown> = { name: opt('name'), provider, prefix: opt('prefix') };
    const keys = () => ({ accessKeyId: opt('credentials.accessKeyId'), secretAccessKey: value('credentials.secretAccessKey') || undefined });
    if (provider === 'minio') {
      Object.assign(b, { bucket: opt('bucket'), s3Url: opt('s3Url'), region: opt('region'), forcePathStyle,
        caCertificate: opt('caCertificate'), credentials: keys() });
    } else if (provider === 'aws') {
      Object.assign(b, { bucket: opt('bucket'), region: opt('region'), s3Url: opt('s3Url') });
      if (awsAuth === 'keys') b.credentials = keys();
      else b.sts = { roleArn: opt('sts.roleArn'), externalId: opt('sts.externalId') };
    } else if (provider === 'gcp') {
      Object.assign(b, { bucket: opt('bucket'), jsonCredentials: opt('jsonCredentials'), endpoint: opt('endpoint') });
    } else {
      Object.assign(b, { container: opt('container'), storageAccount: opt('storageAccount'), resourceGroup: opt('resourceGroup'),
        tenantId: opt('tenantId'), clientId: opt('clientId'), subscriptionId: opt('subscriptionId'),
        clientSecret: value('clientSecret') || undefined, sku: opt('sku'), endpoint: opt('endpoint') });
    }
    if (opt('encryption.kmsKeyId')) b.encryption = { kmsKeyId: opt('encryption.kmsKeyId') };
    if (opt('immutability.days') || opt('immutability.mode')) {
      // both are the user's to give: one without the other is the API's 400, shown at the missing field
      b.immutability = { days: opt('immutability.days') ? Number(opt('immutability.days')) : undefined,
        mode: opt('immutability.mode') };
    }
    if (provider !== 'minio' && opt('snapshotMode')) b.snapshotMode = opt('snapshotMode');
    return b;
  };

  const fields = ['name', 'provider', 'prefix', 'bucket', 'container', 's3Url', 'region', 'caCertificate', 'credentials.accessKeyId',
    'credentials.secretAccessKey', 'credentials', 'sts.roleArn', 'sts.externalId', 'sts', 'jsonCredentials', 'endpoint',
    'storageAccount', 'resourceGroup', 'tenantId', 'clientId', 'subscriptionId', 'clientSecret', 'sku', 'forcePathStyle',
    'encryption.kmsKeyId', 'encryption', 'immutability.days', 'immutability.mode', 'immutability', 'snapshotMode'];
  const form = useSubmit(async () => {
    props.onCreated(await post<Resource>(p('locations'), body()));
  }, () => fields);
  const e: FieldErrors = form.errors;

  const text = (name: string, label: string, hint?: string, type = 'text', placeholder?: string) => (
    <Field label={label} name={name} errors={e} hint={hint}>
      {(attrs) => <input {...attrs} type={type} value={value(name)} onInput={set(name)} placeholder={placeholder}
                         autoComplete={type === 'password' ? 'new-password' : 'off'} />}
    </Field>
  );
  const area = (name: string, label: string, hint: string) => (
    <Field label={label} name={name} errors={e} hint={hint}>
      {(attrs) => <textarea {...attrs} rows={4} value={value(name)} onInput={set(name)} spellcheck={false} />}
    </Field>
  );

  return (
    <form class="form" onSubmit={form.submit} aria-label="Add location" noValidate>
      <FormError text={form.general} />
      <fieldset>
        <legend>Provider</legend>
        <div class="radios">
          {PROVIDERS.map(([id, label]) => (
            <label key={id}>
              <input type="radio" name="provider" value={id} checked={provider === id} onChange={() => setProvider(id)} /> {label}
            </label>
          ))}
        </div>
      </fieldset>
      {text('name', 'Name', 'A DNS label: lower-case letters, digits and hyphens.')}
      {provider === 'azure' ? text('container', 'Container') : text('bucket', 'Bucket')}
      {text('prefix', 'Prefix (optional)', 'A folder inside the bucket for this location.')}
      {provider === 'minio' && (
        <>
          {text('s3Url', 'S3 URL', 'The store\'s address, e.g. https://minio.example.com:9000', 'url')}
          {text('region', 'Region (optional)', 'us-east-1 unless given.')}
          <Check name="forcePathStyle" label="Path-style addressing" checked={forcePathStyle} onChange={setForcePathStyle}
                 hint="Most MinIO servers need it." />
          {area('caCertificate', 'CA certificate (optional)', 'PEM, for a store whose certificate your own CA signed.')}
        </>
      )}
      {provider === 'aws' && (
        <>
          {text('region', 'Region', 'e.g. eu-west-1')}
          {text('s3Url', 'S3 URL (optional)', 'Only for an endpoint other than AWS\'s own.', 'url')}
          <fieldset>
            <legend>Access</legend>
            <div class="radios">
              <label><input type="radio" name="awsAuth" checked={awsAuth === 'keys'} onChange={() => setAwsAuth('keys')} /> Access keys</label>
              <label><input type="radio" name="awsAuth" checked={awsAuth === 'sts'} onChange={() => setAwsAuth('sts')} /> Assume a role (STS)</label>
            </div>
          </fieldset>
          {awsAuth === 'sts' && (
            <>
              {text('sts.roleArn', 'Role ARN', 'e.g. arn:aws:iam::123456789012:role/lifeboat')}
              {text('sts.externalId', 'External ID (optional)')}
            </>
          )}
        </>
      )}
      {(provider === 'minio' || (provider === 'aws' && awsAuth === 'keys')) && (
        <>
          {text('credentials.accessKeyId', 'Access key ID')}
          {text('credentials.secretAccessKey', 'Secret access key', 'Stored encrypted, never shown again.', 'password')}
          {e.credentials && <div class="field-error" role="alert" data-field="credentials">{e.credentials}</div>}
        </>
      )}
      {provider === 'gcp' && (
        <>
          {area('jsonCredentials', 'Service-account key (JSON)', 'The key file\'s content. Stored encrypted, never shown again.')}
          {text('endpoint', 'Endpoint (optional)', undefined, 'url')}
        </>
      )}
      {provider === 'azure' && (
        <>
          {text('storageAccount', 'Storage account')}
          {text('resourceGroup', 'Resource group')}
          {text('subscriptionId', 'Subscription ID')}
          {text('tenantId', 'Tenant ID')}
          {text('clientId', 'Client ID')}
          {text('clientSecret', 'Client secret', 'Stored encrypted, never shown again.', 'password')}
          {text('sku', 'SKU (optional)', 'e.g. Standard_LRS')}
          {text('endpoint', 'Endpoint (optional)', undefined, 'url')}
        </>
      )}
      <fieldset>
        <legend>Protection (optional)</legend>
        {text('encryption.kmsKeyId', 'KMS key for encryption', 'Every backup\'s objects are encrypted before they leave, '
          + 'with a data key this KMS key wraps (alias/lifeboat-local in local mode). Velero cannot read them.')}
        {text('immutability.days', 'Lock for days', 'Each object is locked this long (S3 Object Lock, Azure immutability, '
          + 'GCS retention); the bucket must allow it.', 'number')}
        <Field label="Lock mode" name="immutability.mode" errors={e}
               hint="Governance: a user with the right permission may lift a lock. Compliance: nobody can.">
          {(attrs) => (
            <select {...attrs} value={value('immutability.mode')} onChange={set('immutability.mode')}>
              <option value="">—</option>
              <option value="governance">governance</option>
              <option value="compliance">compliance</option>
            </select>
          )}
        </Field>
        {provider !== 'minio' && (
          <Field label="Disk snapshots" name="snapshotMode" errors={e}
                 hint="How “include all disks” snapshots volumes: CSI VolumeSnapshots, the cloud's own disk snapshots, or CSI where the driver has a snapshot class.">
            {(attrs) => (
              <select {...attrs} value={value('snapshotMode') || 'csi'} onChange={set('snapshotMode')}>
                <option value="csi">csi</option>
                <option value="native">native</option>
                <option value="auto">auto</option>
              </select>
            )}
          </Field>
        )}
      </fieldset>
      <div class="buttons">
        <button type="submit" class="primary" disabled={form.busy}>{form.busy ? 'Adding and checking…' : 'Add location'}</button>
      </div>
    </form>
  );
}
