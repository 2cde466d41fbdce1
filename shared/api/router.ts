import { AppError } from '../errors/index.ts';
import type { HttpRequest, HttpResponse } from '../http/index.ts';

export type RouteHandler<C> = (
  req: HttpRequest,
  params: Record<string, string>,
  caller: C,
) => Promise<HttpResponse>;

interface Route<C> {
  method: string;
  pattern: string;
  regex: RegExp;
  names: string[];
  handler: RouteHandler<C>;
}

/** Method + path template (`/links/{id}`) routing; 404 for unknown paths, 405 with Allow for wrong methods. */
export class Router<C> {
  private readonly routes: Array<Route<C>> = [];

  add(method: string, pattern: string, handler: RouteHandler<C>): this {
    const names: string[] = [];
    const source = pattern.replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern, regex: new RegExp(`^${source}/?$`), names, handler });
    return this;
  }

  match(method: string, path: string): { handler: RouteHandler<C>; params: Record<string, string> } {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1] ?? '');
      });
      return { handler: route.handler, params };
    }
    if (allowed.length > 0) {
      throw new AppError('method_not_allowed', `Method ${method} not allowed; use ${allowed.join(', ')}`, {
        headers: { allow: allowed.join(', ') },
      });
    }
    throw new AppError('not_found', `No route for ${method} ${path}`);
  }

  list(): Array<{ method: string; pattern: string }> {
    return this.routes.map(({ method, pattern }) => ({ method, pattern }));
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new AppError('bad_request', 'Malformed percent-encoding in the path');
  }
}
