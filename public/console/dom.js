// Every piece of text reaches the page through textContent: nothing the gateway returns is parsed as HTML.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

export function replaceRows(tbody, rows) {
  tbody.replaceChildren(...rows);
}

export function stats(dl, entries) {
  dl.replaceChildren(...entries.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

export const usd = (value) => (value === null || value === undefined ? '—' : Number(value) === 0 ? '$0' : `$${Number(value).toFixed(Math.abs(value) < 0.01 ? 6 : 4)}`);
export const ms = (value) => (value === null || value === undefined ? '—' : `${Math.round(value)} ms`);
export const when = (seconds) => (seconds === null || seconds === undefined ? '—' : new Date(seconds * 1000).toLocaleString());

export function announce(text) {
  const region = $('#announce');
  region.textContent = '';
  region.textContent = text;
}
