/* global document */
// The copy's progress without reloading the page (a reload would lose a screen reader's place): the
// page works without this (its "Check progress" link shows the latest). With it, the progress is asked
// for every few seconds from the same address the page came from (same access check) and written into
// the live region, which assistive technology reads out; once the copy is ready or has failed, the
// link is relabelled so the person can go on when they choose.
const region = document.getElementById('copy-progress-text');
const bar = document.getElementById('copy-progress');
const link = document.getElementById('copy-progress-refresh');
const EVERY_MS = 3000;

async function poll() {
  let done = false;
  try {
    const res = await fetch(region.dataset.progressUrl, {
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (res.ok) {
      const p = await res.json();
      if (region.textContent !== p.text) region.textContent = p.text;
      if (bar) {
        bar.value = p.percent;
        bar.textContent = `${p.percent}%`;
      }
      done = p.done === true;
      if (done && link) link.textContent = p.state === 'ready' ? 'Continue to the copy' : 'See what went wrong';
    }
  } catch {
    // A dropped connection: try again at the next turn; the link still works.
  }
  if (!done) setTimeout(poll, EVERY_MS);
}

if (region && region.dataset.progressUrl) setTimeout(poll, EVERY_MS);
