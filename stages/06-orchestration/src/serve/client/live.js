// Helpers shared by the live pages. Text goes into the page through textContent only,
// never innerHTML: run messages and asset keys come from the learner's files.

/** An element with attributes and children (strings become text nodes). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** GET a JSON endpoint; a non-2xx answer is an error with the server's message. */
export async function getJson(url) {
  const response = await fetch(url, { cache: 'no-store' });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

/** `2026-12-02 10:00:03` from an ISO time. */
export function clock(iso) {
  return iso ? iso.replace('T', ' ').slice(0, 19) : '';
}

/** `12.3 s` between two ISO times (the second one now when the run is still going). */
export function seconds(from, to) {
  if (!from) return '';
  const ms = (to ? Date.parse(to) : Date.now()) - Date.parse(from);
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Calls `step` about every `intervalMs`, one call at a time (the next waits for the
 * previous), showing a failure in `statusNode` and trying again.
 */
export function every(intervalMs, step, statusNode) {
  const tick = async () => {
    try {
      await step();
      statusNode.classList.remove('error');
    } catch (error) {
      statusNode.textContent = `Cannot reach the server: ${error.message} (retrying)`;
      statusNode.classList.add('error');
    }
    setTimeout(tick, intervalMs);
  };
  tick();
}
