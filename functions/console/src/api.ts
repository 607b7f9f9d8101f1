// The one way the console talks to Lifeboat: the same /v1 API as curl and the CLI, with the access token when the
// deployment signs users in. Errors keep the API's shape, {error: {status, code, field?, message}}, so that a form can
// show a field's error beside that field.

import { accessToken, signIn } from './auth';

export interface ApiErrorBody {
  status: number;
  code: string;
  field?: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;

  constructor(body: ApiErrorBody) {
    super(body.message);
    this.status = body.status;
    this.code = body.code;
    this.field = body.field;
  }
}

/** A resource as every API answer has it. */
export interface Resource<S = any, T = any> {
  name: string;
  project: string;
  createdAt: string;
  spec: S;
  status: T;
}

export interface List<T> {
  items: T[];
  nextToken?: string;
}

let project = 'default';

/** The project every path below is in; the header's selector changes it. */
export function setProject(name: string) {
  project = name;
}

export function currentProject() {
  return project;
}

/** A path inside the current project: p('clusters', name) is /v1/projects/<project>/clusters/<name>. */
export function p(...segments: string[]) {
  return `/v1/projects/${encodeURIComponent(project)}/` + segments.map(encodeURIComponent).join('/');
}

async function request(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const token = accessToken();
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (response.status === 401 && token !== undefined) {
    // the token expired or was refused: sign in again, back to this page
    await signIn();
  }
  if (!response.ok) {
    let error: ApiErrorBody = { status: response.status, code: 'Error', message: `HTTP ${response.status}` };
    try {
      const parsed = await response.json();
      if (parsed && parsed.error) {
        error = parsed.error;
      }
    } catch {
      // not the API's error shape (a gateway's page): keep the status alone
    }
    throw new ApiError(error);
  }
  return response;
}

export async function get<T>(path: string): Promise<T> {
  return (await request('GET', path)).json();
}

export async function text(path: string): Promise<string> {
  return (await request('GET', path, undefined, 'text/plain')).text();
}

export async function post<T>(path: string, body?: unknown): Promise<T> {
  const response = await request('POST', path, body ?? {});
  return response.status === 204 ? (undefined as T) : response.json();
}

export async function del(path: string): Promise<void> {
  await request('DELETE', path);
}

/** Every page of a list, followed through nextToken (lists are in name order, 1000 at most per page). */
export async function all<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const url = `${path}${separator}limit=1000` + (token ? `&nextToken=${encodeURIComponent(token)}` : '');
    const page = await get<List<T>>(url);
    items.push(...page.items);
    token = page.nextToken;
  } while (token);
  return items;
}
