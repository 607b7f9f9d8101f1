// Clusters: the list with health and Kubernetes version, and registration with a kubeconfig (pasted or uploaded).

import { useState } from 'preact/hooks';
import { all, p, post, Resource } from '../api';
import { Check, Disclosure, Empty, Field, FormError, Phase, Status, Time, href, useLoad, useSubmit } from '../ui';
import { HistoryChart } from '../chart';

export function ClustersPage() {
  const loaded = useLoad(async () => {
    const [clusters, backups] = await Promise.all([all<Resource>(p('clusters')), all<Resource>(p('backups'))]);
    return { clusters, backups };
  }, []);
  const [open, setOpen] = useState(false);
  return (
    <section>
      <h1 tabIndex={-1}>Clusters</h1>
      <p class="lead">The clusters Lifeboat backs up and restores into, each reached with its kubeconfig (stored encrypted).</p>
      <Disclosure label="Register cluster" open={open} setOpen={setOpen}>
        <ClusterForm onCreated={() => { setOpen(false); loaded.reload(); }} />
      </Disclosure>
      <Status loaded={loaded}>
        {({ clusters, backups }) => clusters.length === 0
          ? <Empty title="No clusters yet">Register one with its kubeconfig to back it up.</Empty>
          : (
            <>
              <table class="list" aria-label="Clusters">
                <thead>
                  <tr><th scope="col">Name</th><th scope="col">Health</th><th scope="col">Kubernetes</th><th scope="col">API server</th>
                    <th scope="col">Backups</th><th scope="col">Last checked</th></tr>
                </thead>
                <tbody>
                  {clusters.map((c) => (
                    <tr key={c.name} data-cluster={c.name}>
                      <th scope="row"><a href={href('clusters', c.name)}>{c.name}</a></th>
                      <td><Phase phase={c.status.health} title={c.status.message} />
                        {c.status.insecureTls && <span class="tag warn" title="The server's certificate is not verified">TLS not verified</span>}
                        {c.status.health !== 'Healthy' && c.status.message && <div class="muted small">{c.status.message}</div>}</td>
                      <td>{c.status.kubernetesVersion ?? '—'}</td>
                      <td><code class="small">{c.spec.server}</code></td>
                      <td>{backups.filter((b) => b.spec.cluster === c.name).length}</td>
                      <td><Time at={c.status.checkedAt} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>Backup history</h2>
              <div class="charts">
                {clusters.map((c) => (
                  <HistoryChart key={c.name} cluster={c.name} backups={backups.filter((b) => b.spec.cluster === c.name)} />
                ))}
              </div>
            </>
          )}
      </Status>
    </section>
  );
}

function ClusterForm(props: { onCreated: (c: Resource) => void }) {
  const [name, setName] = useState('');
  const [kubeconfig, setKubeconfig] = useState('');
  const [context, setContext] = useState('');
  const [insecure, setInsecure] = useState(false);
  const form = useSubmit(async () => {
    props.onCreated(await post<Resource>(p('clusters'), {
      name: name.trim() || undefined, kubeconfig: kubeconfig || undefined, context: context.trim() || undefined,
      allowInsecureTls: insecure || undefined,
    }));
  }, () => ['name', 'kubeconfig', 'context', 'allowInsecureTls']);
  const upload = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) setKubeconfig(await file.text());
  };
  return (
    <form class="form" onSubmit={form.submit} aria-label="Register cluster" noValidate>
      <FormError text={form.general} />
      <Field label="Name" name="name" errors={form.errors} hint="A DNS label: lower-case letters, digits and hyphens.">
        {(a) => <input {...a} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} autoComplete="off" />}
      </Field>
      <Field label="Kubeconfig" name="kubeconfig" errors={form.errors}
             hint="Paste it, or choose the file below. A service-account token or a client certificate, inline: no exec plugins, no file paths.">
        {(a) => <textarea {...a} rows={8} spellcheck={false} value={kubeconfig}
                          onInput={(e) => setKubeconfig((e.target as HTMLTextAreaElement).value)} />}
      </Field>
      <div class="field">
        <label for="kubeconfig-file">…or upload the kubeconfig file</label>
        <input id="kubeconfig-file" type="file" onChange={upload} />
      </div>
      <Field label="Context (optional)" name="context" errors={form.errors} hint="The kubeconfig's current context unless given.">
        {(a) => <input {...a} value={context} onInput={(e) => setContext((e.target as HTMLInputElement).value)} autoComplete="off" />}
      </Field>
      <Check name="allowInsecureTls" label="Allow a kubeconfig that turns TLS verification off" checked={insecure} onChange={setInsecure}
             hint="Only for test clusters: anyone on the path could read the credentials." />
      {form.errors.allowInsecureTls && <div class="field-error" role="alert" data-field="allowInsecureTls">{form.errors.allowInsecureTls}</div>}
      <div class="buttons">
        <button type="submit" class="primary" disabled={form.busy}>{form.busy ? 'Registering…' : 'Register cluster'}</button>
      </div>
    </form>
  );
}
