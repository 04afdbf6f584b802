// @rc/api/operations: the operation table as run-time data, and a router that finds the operation a
// request calls. Used by the mock server (routes and validation), the rate limiter (groups before a
// route's first call) and @rc/otel (span names by path template, never a raw path full of ids).
import { operationTable } from './generated/table.js';

export { operationTable };

/** RingCentral's rate-limit groups (`x-throttling-group`). */
export type ThrottlingGroup = 'Light' | 'Medium' | 'Heavy' | 'Auth' | 'NoThrottling';

/** An operation id of the description. */
export type OperationName = keyof typeof operationTable;

/** One operation of the description. */
export interface OperationInfo {
  /** The operation id, e.g. `readExtension`. */
  readonly id: OperationName;
  /** Upper-case HTTP method. */
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path template, e.g. `/restapi/v1.0/account/{accountId}/extension/{extensionId}`. */
  readonly path: string;
  /** The rate-limit group the operation counts against. */
  readonly group: ThrottlingGroup;
  /** The app permission it needs, when the description names one. */
  readonly appPermission?: string;
  /** The user permission it needs, when the description names one. */
  readonly userPermission?: string;
  /** True when RingCentral may serve it from its media server (`x-media-api`). */
  readonly media?: true;
}

/** A matched operation and the values of its path parameters, by name. */
export interface OperationMatch {
  readonly operation: OperationInfo;
  readonly params: Readonly<Record<string, string>>;
}

// Routes differ in a parameter's name at one position (`extension/{extensionId}` beside
// `call-queues/{groupId}` …), so the tree keeps one unnamed parameter branch per node and the names
// come from the matched operation's own template.
interface Node {
  literal: Map<string, Node>;
  param?: Node;
  ops?: Map<string, OperationInfo>;
}
const newNode = (): Node => ({ literal: new Map() });

let root: Node | undefined;
let list: readonly OperationInfo[] | undefined;

/** Every operation, in table order (path, then method). */
export function allOperations(): readonly OperationInfo[] {
  list ??= Object.entries(operationTable).map(([id, op]) => ({ id, ...op }) as OperationInfo);
  return list;
}

// Built on first use: importing the table costs nothing until something routes.
function tree(): Node {
  if (root) return root;
  root = newNode();
  for (const op of allOperations()) {
    let node = root;
    for (const segment of op.path.slice(1).split('/')) {
      if (/^\{.+\}$/.test(segment)) {
        node.param ??= newNode();
        node = node.param;
      } else {
        let next = node.literal.get(segment);
        if (!next) {
          next = newNode();
          node.literal.set(segment, next);
        }
        node = next;
      }
    }
    node.ops ??= new Map();
    node.ops.set(op.method, op);
  }
  return root;
}

function walk(node: Node, segments: string[], i: number, params: string[]): Node | undefined {
  if (i === segments.length) return node.ops ? node : undefined;
  const segment = segments[i]!;
  const literal = node.literal.get(segment);
  if (literal) {
    const found = walk(literal, segments, i + 1, params);
    if (found) return found;
  }
  if (node.param && segment !== '') {
    params.push(segment);
    const found = walk(node.param, segments, i + 1, params);
    if (found) return found;
    params.pop();
  }
  return undefined;
}

/**
 * The operation `method path` calls, with its path parameters (decoded), or `undefined`. `path` may
 * be a full URL or a path, with or without a query; literal segments win over parameters.
 * @example findOperation('GET', '/restapi/v1.0/account/~/extension/101')?.operation.id // 'readExtension'
 */
export function findOperation(method: string, path: string): OperationMatch | undefined {
  let pathname = path;
  const scheme = pathname.indexOf('://');
  if (scheme !== -1) {
    const slash = pathname.indexOf('/', scheme + 3);
    pathname = slash === -1 ? '/' : pathname.slice(slash);
  }
  const end = pathname.search(/[?#]/);
  if (end !== -1) pathname = pathname.slice(0, end);
  if (pathname.startsWith('/')) pathname = pathname.slice(1);
  const values: string[] = [];
  const node = walk(tree(), pathname.split('/'), 0, values);
  const operation = node?.ops?.get(method.toUpperCase());
  if (!operation) return undefined;
  const names = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const params: Record<string, string> = {};
  names.forEach((name, i) => {
    const value = values[i]!;
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      params[name] = value;
    }
  });
  return { operation, params };
}
