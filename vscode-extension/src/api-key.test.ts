import type { Disposable, Event, ExtensionContext, SecretStorage, SecretStorageChangeEvent, WorkspaceConfiguration } from 'vscode';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// `vscode` exists only inside the editor; the one runtime value api-key.ts
// uses from it is the input box, answered here as a user would.
const showInputBox = vi.hoisted(() => vi.fn<(options: { password?: boolean }) => Promise<string | undefined>>());
vi.mock('vscode', () => ({ window: { showInputBox } }));

const { apiKeySecret, clearApiKey, promptAndStoreApiKey, readApiKey, watchApiKey } = await import('./api-key');
const { readEditorSettings } = await import('./settings');

/** VS Code's SecretStorage kept in a Map, firing onDidChange as the editor does after a store or delete. */
class InMemorySecretStorage implements SecretStorage {
  readonly values = new Map<string, string>();
  private readonly listeners = new Set<(event: SecretStorageChangeEvent) => unknown>();

  readonly onDidChange: Event<SecretStorageChangeEvent> = (listener, thisArgs) => {
    const bound = (event: SecretStorageChangeEvent) => listener.call(thisArgs, event);
    this.listeners.add(bound);
    return { dispose: () => this.listeners.delete(bound) } as Disposable;
  };

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.fire(key);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
    this.fire(key);
  }

  private fire(key: string): void {
    for (const listener of this.listeners) listener({ key });
  }
}

/** The `spanlens` settings section, recording any write to it. */
function configuration(values: Record<string, unknown>): WorkspaceConfiguration & { updates: unknown[] } {
  const updates: unknown[] = [];
  return {
    updates,
    get: (key: string) => values[key],
    has: (key: string) => key in values,
    inspect: () => undefined,
    update: async (...args: unknown[]) => void updates.push(args),
  } as unknown as WorkspaceConfiguration & { updates: unknown[] };
}

let secrets: InMemorySecretStorage;
let context: ExtensionContext;

beforeEach(() => {
  secrets = new InMemorySecretStorage();
  context = { secrets } as unknown as ExtensionContext;
  showInputBox.mockReset();
});

describe('the API key in SecretStorage', () => {
  it('stores the key typed into a password box under spanlens.apiKey, trimmed, and reads it back', async () => {
    showInputBox.mockResolvedValue('  sl_read_ab12_secret  ');
    expect(await promptAndStoreApiKey(context)).toBe(true);
    expect(showInputBox).toHaveBeenCalledWith(expect.objectContaining({ password: true }));
    expect(apiKeySecret).toBe('spanlens.apiKey');
    expect([...secrets.values]).toEqual([['spanlens.apiKey', 'sl_read_ab12_secret']]);
    expect(await readApiKey(context)).toBe('sl_read_ab12_secret');
  });

  it('stores nothing when the box is cancelled or left empty, and clears the key on request', async () => {
    await secrets.store(apiKeySecret, 'sl_old');
    for (const answer of [undefined, '   ']) {
      showInputBox.mockResolvedValueOnce(answer);
      expect(await promptAndStoreApiKey(context)).toBe(false);
    }
    expect(await readApiKey(context)).toBe('sl_old');
    await clearApiKey(context);
    expect(secrets.values.size).toBe(0);
    expect(await readApiKey(context)).toBeUndefined();
  });

  it('tells the server about each change of the key, from this window or another, and about no other secret', async () => {
    const seen: Array<string | null> = [];
    const watching = watchApiKey(context, (key) => seen.push(key));
    await secrets.store(apiKeySecret, 'sl_first');
    await secrets.store('another.extension.token', 'not ours');
    await secrets.store(apiKeySecret, 'sl_second');
    await secrets.delete(apiKeySecret);
    await vi.waitFor(() => expect(seen).toEqual(['sl_first', 'sl_second', null]));
    watching.dispose();
    await secrets.store(apiKeySecret, 'sl_after_dispose');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual(['sl_first', 'sl_second', null]);
  });
});

describe('the settings the server starts with', () => {
  it('carry the key from SecretStorage only; the settings section is read, never written', async () => {
    await secrets.store(apiKeySecret, 'sl_from_secret_storage');
    const config = configuration({ apiUrl: 'http://127.0.0.1:4318', apiKey: 'sl_typed_into_settings_json' });
    expect(readEditorSettings(config, await readApiKey(context))).toEqual({ apiUrl: 'http://127.0.0.1:4318', apiKey: 'sl_from_secret_storage' });
    await secrets.delete(apiKeySecret);
    // A key typed into settings.json is not picked up as the key: there is no `spanlens.apiKey` setting to migrate from.
    expect(readEditorSettings(config, await readApiKey(context))).toEqual({ apiUrl: 'http://127.0.0.1:4318' });
    showInputBox.mockResolvedValue('sl_new');
    await promptAndStoreApiKey(context);
    expect(config.updates).toEqual([]);
  });
});
