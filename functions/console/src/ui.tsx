// Small pieces every page uses: the hash router, polling, forms whose fields show the API's field errors, phases,
// progress bars, times and sizes, and empty states.

import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';

// --- routing: the page is the URL's hash (#/clusters/sandbox), so the server serves one index.html for all of them

export function useRoute(): string[] {
  const read = () => window.location.hash.replace(/^#\/?/, '').split('/').filter((s) => s).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const changed = () => setRoute(read());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export function href(...segments: string[]) {
  return '#/' + segments.map(encodeURIComponent).join('/');
}

export function go(...segments: string[]) {
  window.location.hash = href(...segments);
}

// --- loading and polling

export interface Loaded<T> {
  data?: T;
  error?: string;
  reload: () => void;
}

/**
 * Loads with {@code load}, again whenever {@code deps} change or reload() is called, and every {@code everyMs} while
 * {@code keepPolling(data)} says a run is still going (live progress).
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], everyMs = 0,
                           keepPolling: (data: T) => boolean = () => true): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    let alive = true;
    let timer: number | undefined;
    const run = async () => {
      try {
        const data = await load();
        if (!alive) return;
        setState({ data });
        if (everyMs > 0 && keepPolling(data)) {
          timer = window.setTimeout(run, everyMs);
        }
      } catch (e) {
        if (!alive) return;
        setState((s) => ({ data: s.data, error: message(e) }));
        if (everyMs > 0) {
          timer = window.setTimeout(run, everyMs * 2);
        }
      }
    };
    run();
    return () => {
      alive = false;
      window.clearTimeout(timer);
    };
  }, [...deps, tick]);
  return { ...state, reload };
}

export function message(e: unknown) {
  if (e instanceof ApiError) {
    return e.field ? `${e.field}: ${e.message}` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

export const RUNNING = new Set(['New', 'InProgress', 'Deleting']);

// --- forms: each field knows its API name, so that {error: {field}} lands beside it

export type FieldErrors = Record<string, string>;

/**
 * Submits a form: {@code send} calls the API; an API error that names a field the form shows lands at that field,
 * any other above the form. Returns the state a form renders.
 */
export function useSubmit(send: () => Promise<void>, fields: () => string[]) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | undefined>();
  const submit = async (event?: Event) => {
    event?.preventDefault();
    setBusy(true);
    setErrors({});
    setGeneral(undefined);
    try {
      await send();
    } catch (e) {
      if (e instanceof ApiError && e.field) {
        const known = fields();
        // "namespaces[1]" or "schedule.custom.hour" belong to the field that shows them, or its parent
        const target = known.find((f) => e.field === f) ?? known.find((f) => e.field!.startsWith(f + '.') || e.field!.startsWith(f + '['));
        if (target) {
          setErrors({ [target]: e.field === target ? e.message : `${e.field}: ${e.message}` });
        } else {
          setGeneral(message(e));
        }
      } else {
        setGeneral(message(e));
      }
    } finally {
      setBusy(false);
    }
  };
  return { busy, errors, general, submit, setGeneral };
}

let fieldIds = 0;

/** A labelled input with its hint and its error; the error is tied to the input for screen readers. */
export function Field(props: {
  label: string;
  name: string;
  errors: FieldErrors;
  hint?: ComponentChildren;
  children: (attrs: { id: string; name: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => JSX.Element;
}) {
  const id = useRef(`f${++fieldIds}`).current;
  const error = props.errors[props.name];
  return (
    <div class={'field' + (error ? ' invalid' : '')}>
      <label for={id}>{props.label}</label>
      {props.children({ id, name: props.name, 'aria-invalid': error ? true : undefined,
        'aria-describedby': error ? `${id}-error` : props.hint ? `${id}-hint` : undefined })}
      {props.hint && !error && <div class="hint" id={`${id}-hint`}>{props.hint}</div>}
      {error && <div class="field-error" id={`${id}-error`} role="alert" data-field={props.name}>{error}</div>}
    </div>
  );
}

export function Check(props: { label: string; checked: boolean; onChange: (v: boolean) => void; name: string; hint?: string }) {
  return (
    <div class="check">
      <label>
        <input type="checkbox" name={props.name} checked={props.checked}
               onChange={(e) => props.onChange((e.target as HTMLInputElement).checked)} />
        {' '}{props.label}
      </label>
      {props.hint && <div class="hint">{props.hint}</div>}
    </div>
  );
}

export function FormError(props: { text?: string }) {
  return props.text ? <div class="banner error" role="alert">{props.text}</div> : null;
}

// --- display

export function Phase(props: { phase?: string; title?: string }) {
  const phase = props.phase ?? 'Unknown';
  return <span class={`phase phase-${phase}`} title={props.title}>{phase}</span>;
}

/** A live progress bar: done of total, with the phase written on it, so that it reads the same without colour. */
export function Progress(props: { done?: number; total?: number; phase?: string; label: string }) {
  const total = props.total ?? 0;
  const done = props.done ?? 0;
  const finished = props.phase !== undefined && !RUNNING.has(props.phase);
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : finished ? 100 : 0;
  return (
    <div class={`progress progress-${props.phase ?? 'New'}`} role="progressbar" aria-label={props.label}
         aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}
         aria-valuetext={`${props.phase ?? ''} ${done} of ${total}`} data-phase={props.phase}>
      <div class="bar" style={{ width: `${percent}%` }} />
      <span class="text">{props.phase} · {done}/{total}</span>
    </div>
  );
}

export function Time(props: { at?: string }) {
  if (!props.at) return <span class="muted">—</span>;
  const date = new Date(props.at);
  return <time dateTime={props.at} title={props.at}>{date.toLocaleString()}</time>;
}

export function bytes(n?: number) {
  if (n === undefined || n === null) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function seconds(from?: string, to?: string) {
  if (!from || !to) return undefined;
  return (Date.parse(to) - Date.parse(from)) / 1000;
}

export function Empty(props: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty" role="status">
      <p class="empty-title">{props.title}</p>
      {props.children && <p>{props.children}</p>}
    </div>
  );
}

export function Loading() {
  return <p class="muted" role="status">Loading…</p>;
}

/** Shows a load's error above its content, or "Loading…" before the first answer. */
export function Status<T>(props: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  const { data, error } = props.loaded;
  return (
    <>
      {error && <div class="banner error" role="alert">{error}</div>}
      {data === undefined ? (error ? null : <Loading />) : props.children(data)}
    </>
  );
}

/** A section that opens a form in place; the first field gets the focus when it opens. */
export function Disclosure(props: { label: string; open: boolean; setOpen: (v: boolean) => void; children: ComponentChildren }) {
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (props.open) {
      panel.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
    }
  }, [props.open]);
  return (
    <div class="disclosure">
      <button type="button" class={props.open ? 'secondary' : 'primary'} aria-expanded={props.open}
              onClick={() => props.setOpen(!props.open)}>
        {props.open ? 'Cancel' : props.label}
      </button>
      {props.open && <div class="panel" ref={panel}>{props.children}</div>}
    </div>
  );
}

/** Splits "a, b c" into names; empty gives []. */
export function names(text: string) {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter((s) => s.length > 0);
}
