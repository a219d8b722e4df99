/**
 * The page of a recording being checked and stored: asks the service every few seconds whether it is
 * stored yet and puts the answer in the page's live region, so a screen reader hears it without
 * losing its place (a page that reloads itself would take the reader back to the top). Without this
 * script the region's link refreshes the page.
 */
/* global document */

const box = document.getElementById('recording-storing');
if (box) watch(box);

function watch(box) {
  const url = box.dataset.statusUrl;
  const text = document.getElementById('recording-status-text');
  const link = document.getElementById('recording-status-link');
  let delay = 2_000;
  let last = text.textContent;

  async function poll() {
    let answer = null;
    try {
      const res = await fetch(url, {
        credentials: 'same-origin',
        redirect: 'manual',
        headers: { accept: 'application/json' },
      });
      if (res.ok) answer = await res.json();
    } catch {
      // offline for a moment: ask again later
    }
    if (answer && typeof answer.text === 'string') {
      if (answer.text !== last) {
        text.textContent = answer.text;
        link.textContent = answer.linkText;
        link.href = answer.href;
        last = answer.text;
      }
      if (answer.done) return;
    }
    // Every 2 seconds at first, then less often for a long recording, at most every 15 seconds.
    delay = Math.min(Math.round(delay * 1.5), 15_000);
    setTimeout(poll, delay);
  }
  setTimeout(poll, delay);
}
