/** A minimal element builder: the dashboard's views are small, and a view library would be one more thing to serve. */
export type Child = Node | string | number | null | undefined | false | Child[];
type Props = Record<string, unknown> & { dataset?: Record<string, string | number> };

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'dataset') for (const [key, data] of Object.entries(value as Record<string, string | number>)) element.dataset[key] = String(data);
    else if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value as EventListener);
    else if (name === 'class') element.className = String(value);
    else if (name === 'value' && 'value' in element) (element as HTMLInputElement).value = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/**
 * A figure the tests (and a curious user, through the inspector) can read
 * exactly: the shown text is formatted, `data-value` keeps the API's number.
 */
export function figure(name: string, value: number | null, text: string): HTMLElement {
  return h('span', { class: 'figure-value', dataset: { figure: name, value: value === null ? '' : String(value) } }, text);
}
