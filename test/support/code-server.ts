import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './spanlens-process';

const execFileAsync = promisify(execFile);

/**
 * A real VS Code for editor tests: code-server, installed by
 * scripts/code-server.sh into .spanlens/code-server/ (instant once cached;
 * several minutes the first time, since it builds VS Code's native modules).
 * Returns the path of its launcher.
 */
export async function installCodeServer(): Promise<string> {
  const script = join(repoRoot, 'scripts', 'code-server.sh');
  await execFileAsync(script, ['install'], { timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  const { stdout } = await execFileAsync(script, ['path']);
  return stdout.trim();
}

/** One code-server's own state: nothing is read from or written to the user's home. */
export interface CodeServerDirs {
  userDataDir: string;
  extensionsDir: string;
  /** code-server's config.yaml (it writes a default one when missing). */
  configFile: string;
  /** XDG_CONFIG_HOME and XDG_DATA_HOME, where code-server keeps its own logs. */
  xdgHome: string;
}

export function codeServerDirs(root: string): CodeServerDirs {
  const dirs = { userDataDir: join(root, 'user-data'), extensionsDir: join(root, 'extensions'), configFile: join(root, 'config.yaml'), xdgHome: join(root, 'xdg') };
  mkdirSync(join(dirs.userDataDir, 'User'), { recursive: true });
  mkdirSync(dirs.extensionsDir, { recursive: true });
  mkdirSync(dirs.xdgHome, { recursive: true });
  return dirs;
}

/**
 * The environment code-server runs with. An empty extensions gallery keeps
 * it from looking up a marketplace on the network (this machine has none).
 */
function codeServerEnv(dirs: CodeServerDirs): NodeJS.ProcessEnv {
  return { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: dirs.xdgHome, XDG_DATA_HOME: dirs.xdgHome };
}

function dirArgs(dirs: CodeServerDirs): string[] {
  return ['--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--config', dirs.configFile];
}

/** `code-server --install-extension <vsix>`, the way a user installs a .vsix. Resolves with its output. */
export async function installExtension(launcher: string, dirs: CodeServerDirs, vsix: string): Promise<string> {
  const { stdout, stderr } = await execFileAsync(launcher, ['--install-extension', vsix, '--force', ...dirArgs(dirs)], { env: codeServerEnv(dirs), timeout: 120_000 });
  return stdout + stderr;
}

/**
 * User settings for a quiet test window: no workspace trust prompt, no
 * welcome page, no telemetry, no AI side panel, no update checks.
 */
export function writeUserSettings(dirs: CodeServerDirs, settings: Record<string, unknown>): void {
  const quiet = {
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'git.enabled': false,
    'editor.minimap.enabled': false,
  };
  writeFileSync(join(dirs.userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quiet, ...settings }, null, 2));
}

export interface RunningCodeServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** What code-server printed. */
  log(): string;
  /** Stops code-server and everything it started (extension host, language servers). */
  stop(): Promise<void>;
}

/**
 * Starts code-server on 127.0.0.1 (a free port), without authentication,
 * opening `folder`. It runs in its own process group, so that stopping it
 * also ends the extension host and the language servers it started.
 */
export function startCodeServer(options: { launcher: string; dirs: CodeServerDirs; folder: string }): Promise<RunningCodeServer> {
  const child = spawn(
    options.launcher,
    ['--bind-addr', '127.0.0.1:0', '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', ...dirArgs(options.dirs), options.folder],
    { env: codeServerEnv(options.dirs), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const stop = () => stopProcessGroup(child, exited);
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`code-server did not listen within 60 s:\n${output}`));
    }, 60_000);
    const onData = () => {
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolveStart({ url: match[1], log: () => output, stop });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`code-server exited before listening:\n${output}`));
    });
  });
}

/** SIGTERM to the whole group, SIGKILL after 10 s for whatever is left. */
async function stopProcessGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup('SIGTERM');
  await Promise.race([exited, new Promise((resolveWait) => setTimeout(resolveWait, 10_000))]);
  // The extension host and language servers may outlive the main process.
  signalGroup('SIGKILL');
}

/**
 * The tail of every log file VS Code wrote (the extension host's, and the
 * "Spanlens" output channel of the language client), for a failure message.
 */
export function vscodeLogs(dirs: CodeServerDirs, maxCharsPerFile = 3000): string {
  const logsDir = join(dirs.userDataDir, 'logs');
  const files: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/exthost|spanlens/i.test(path)) files.push(path);
    }
  };
  walk(logsDir);
  return files.map((file) => `--- ${file}\n${readFileSync(file, 'utf8').slice(-maxCharsPerFile)}`).join('\n');
}
