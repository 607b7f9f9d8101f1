// The console's frame: sign-in when the deployment has one, the project, the navigation, and the page the URL's hash
// names.

import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import './style.css';
import { setProject } from './api';
import { ensureSignedIn, loadConfig, signOut, signedInMode, tokenProjects } from './auth';
import { message, useRoute } from './ui';
import { LocationsPage } from './pages/locations';
import { ClustersPage } from './pages/clusters';
import { ClusterPage } from './pages/cluster';
import { BackupPage } from './pages/backup';
import { BackupDiffPage } from './pages/diff';
import { RestoreFormPage, RestorePage } from './pages/restore';
import { SchedulesPage } from './pages/schedules';
import { WorkspacePage, WorkspacesPage } from './pages/workspaces';

const PROJECT_KEY = 'lifeboat.project';

const NAV: [string, string][] = [
  ['clusters', 'Clusters'],
  ['locations', 'Backup locations'],
  ['schedules', 'Schedules'],
  ['workspaces', 'Workspaces'],
];

function Page(props: { route: string[] }) {
  const [section, name, sub, other] = props.route;
  switch (section) {
    case 'locations':
      return <LocationsPage />;
    case 'clusters':
      return name ? <ClusterPage name={name} /> : <ClustersPage />;
    case 'backups':
      if (sub === 'restore') return <RestoreFormPage backup={name} />;
      if (sub === 'diff' && other) return <BackupDiffPage from={name} to={other} />;
      return <BackupPage name={name} />;
    case 'restores':
      return <RestorePage name={name} />;
    case 'schedules':
      return <SchedulesPage />;
    case 'workspaces':
      return name ? <WorkspacePage name={name} /> : <WorkspacesPage />;
    default:
      return <ClustersPage />;
  }
}

function ProjectPicker(props: { project: string; onChange: (p: string) => void }) {
  const allowed = tokenProjects();
  const [draft, setDraft] = useState(props.project);
  if (allowed.length > 0) {
    return (
      <label class="project">
        Project{' '}
        <select value={props.project} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
          {allowed.map((p) => <option key={p} value={p}>{p}</option>)}
        </select>
      </label>
    );
  }
  return (
    <form class="project" onSubmit={(e) => { e.preventDefault(); props.onChange(draft.trim() || 'default'); }}>
      <label for="project">Project</label>
      <input id="project" value={draft} size={12} onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
             onBlur={() => draft.trim() && draft.trim() !== props.project && props.onChange(draft.trim())} />
    </form>
  );
}

function App(props: { defaultProject: string }) {
  const route = useRoute();
  const [project, setProjectState] = useState(() => {
    const allowed = tokenProjects();
    const saved = sessionStorage.getItem(PROJECT_KEY) ?? props.defaultProject;
    return allowed.length > 0 && !allowed.includes(saved) ? allowed[0] : saved;
  });
  setProject(project);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    // a new page: its heading takes the focus (for keyboard and screen-reader users), except on the first load
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [route.join('/')]);
  const changeProject = (p: string) => {
    sessionStorage.setItem(PROJECT_KEY, p);
    setProjectState(p);
  };
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); main.current?.querySelector<HTMLElement>('h1')?.focus(); }}>
        Skip to content
      </a>
      <header class="top">
        <div class="brand">Lifeboat</div>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([path, label]) => (
              <li key={path}>
                <a href={`#/${path}`} aria-current={route[0] === path || (!route[0] && path === 'clusters') ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <ProjectPicker project={project} onChange={changeProject} />
        {signedInMode() && <button type="button" class="secondary" onClick={() => signOut()}>Sign out</button>}
      </header>
      <main id="main" ref={main} key={`${project}/${route.join('/')}`}>
        <Page route={route} />
      </main>
    </>
  );
}

async function start() {
  const root = document.getElementById('app')!;
  try {
    const config = await loadConfig();
    await ensureSignedIn();
    setProject(config.defaultProject);
    render(<App defaultProject={config.defaultProject} />, root);
  } catch (e) {
    render(<div class="banner error" role="alert">The console could not start: {message(e)}</div>, root);
  }
}

start();
