import { fileURLToPath } from 'node:url';
import type { Attributes } from '@opentelemetry/api';

/** Where in the application an LLM call is made: the `code.*` span attributes. */
export interface CallSite {
  /** Absolute path of the source file (a `file://` URL is turned into a path). */
  filePath: string;
  /** 1-based line of the call. */
  lineNumber: number;
  /** `name`, `Class.method`, or absent for an anonymous function or top-level code. */
  functionName?: string;
}

/** The OpenTelemetry `code.*` attributes of a call site. */
export function callSiteAttributes(site: CallSite): Attributes {
  const attributes: Attributes = { 'code.file.path': site.filePath, 'code.line.number': site.lineNumber };
  if (site.functionName) attributes['code.function.name'] = site.functionName;
  return attributes;
}

/**
 * The call site of whoever called `boundary`. It reads the formatted
 * `Error.stack` rather than V8's structured call sites: when source maps are
 * on (`--enable-source-maps`, tsx, ts-node, vitest), only the formatted stack
 * is mapped back to the TypeScript line the developer wrote, while
 * structured call sites give the line in the transpiled output.
 */
export function captureCallSite(boundary: Function, options: { frames?: number; isLibrary?: (filePath: string) => boolean } = {}): CallSite | undefined {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  try {
    // A few frames after the boundary are enough; a small limit keeps the capture cheap.
    Error.stackTraceLimit = options.frames ?? 5;
    Error.captureStackTrace(holder, boundary);
    return firstCallSite(holder.stack ?? '', options.isLibrary);
  } catch {
    return undefined;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const FRAME = /^\s*at (?:async )?(?:(.*?) \((.*)\)|(.*))$/;
const LOCATION = /^(.*):(\d+):(\d+)$/;

/**
 * The first frame of a V8 stack that points into a source file (not `node:`
 * internals, not `native`) and, when `isLibrary` is given, not into a library.
 */
export function firstCallSite(stack: string, isLibrary?: (filePath: string) => boolean): CallSite | undefined {
  for (const line of stack.split('\n')) {
    const frame = FRAME.exec(line);
    if (!frame) continue;
    const location = LOCATION.exec(frame[2] ?? frame[3] ?? '');
    if (!location?.[1] || !location[2]) continue;
    const file = location[1];
    if (file.startsWith('node:') || file.startsWith('eval at ') || file === '<anonymous>') continue;
    const filePath = toPath(file);
    if (isLibrary?.(filePath)) continue;
    const functionName = cleanFunctionName(frame[1]);
    return {
      filePath,
      lineNumber: Number(location[2]),
      ...(functionName !== undefined ? { functionName } : {}),
    };
  }
  return undefined;
}

/**
 * V8 writes `new Name`, `Name.method`, `method [as alias]`, and
 * `Object.<anonymous>` (CommonJS top level) or `<anonymous>` for functions
 * without a name.
 */
function cleanFunctionName(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const name = raw.replace(/^new /, '').replace(/ \[as [^\]]*\]$/, '').trim();
  if (name === '' || name.endsWith('<anonymous>')) return undefined;
  return name;
}

/** Code installed from a registry: the frames to look past for the application's own. */
export function isInNodeModules(filePath: string): boolean {
  return /[\\/]node_modules[\\/]/.test(filePath);
}

function toPath(file: string): string {
  if (!file.startsWith('file://')) return file;
  try {
    return fileURLToPath(file);
  } catch {
    return file;
  }
}
