/* global document, window */
// Autosave of a draft of the written record. The page works without this: its Save button sends every
// section. With it, a section is sent a few seconds after the person stops typing, and when they leave
// the box, with the version of the draft last seen; the answer's version goes into every form on the
// page (so Save, "Send to the chair" and the rest carry it). When someone else saved the draft first,
// nothing is overwritten: the typed text stays in the box and a message says how to see their change. A form
// sent while a save is in flight waits for it, so it carries the version that save was given.
const form = document.getElementById('draft-form');
const status = document.getElementById('autosave-status');
const IDLE_MS = 3000;

function versionInputs() {
  return document.querySelectorAll('input[data-draft-version]');
}

function currentVersion() {
  return versionInputs()[0]?.value ?? '';
}

function setVersion(version) {
  for (const input of versionInputs()) input.value = String(version);
}

function say(text) {
  status.textContent = text;
}

function sayConflict(message) {
  status.textContent = '';
  const strong = document.createElement('strong');
  strong.textContent = `${message} `;
  const link = document.createElement('a');
  link.className = 'govuk-link';
  link.href = window.location.pathname;
  link.textContent = 'Reload the page to see their changes';
  const after = document.createElement('span');
  after.textContent = ' (copy your text first: reloading shows the draft as they saved it).';
  status.append(strong, link, after);
  status.classList.add('govuk-error-message');
}

if (form && status && form.dataset.autosave) {
  const url = form.dataset.autosave;
  const csrf = form.querySelector('input[name="_csrf"]')?.value ?? '';
  const timers = new Map();
  const sent = new Map();
  let conflict = false;
  let queue = Promise.resolve();

  async function save(textarea) {
    if (conflict) return;
    const sectionId = textarea.dataset.section;
    const text = textarea.value;
    if (sent.get(sectionId) === text) return;
    say('Saving…');
    let res;
    try {
      res = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        redirect: 'manual',
        headers: {
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          'x-csrf-token': csrf,
        },
        body: new URLSearchParams({ sectionId, text, version: currentVersion() }).toString(),
      });
    } catch {
      say('Not saved: the connection was lost. Your text is still here; use Save the draft when you are back online.');
      return;
    }
    if (res.type === 'opaqueredirect' || res.status === 401) {
      say('Not saved: you have been signed out. Copy your text, sign in again and reload the page.');
      return;
    }
    const json = await res.json().catch(() => null);
    if (res.ok && json) {
      sent.set(sectionId, text);
      setVersion(json.version);
      say(`Saved at ${json.savedAt}`);
      return;
    }
    if (res.status === 409) {
      conflict = true;
      sayConflict(json?.message ?? 'Someone else has changed this draft. Your text has not been saved.');
      return;
    }
    say(`Not saved: ${json?.message ?? 'something went wrong'}. Use Save the draft to see what needs changing.`);
  }

  // One save at a time, in order, so each carries the version the one before was given.
  const enqueue = (textarea) => {
    queue = queue.then(() => save(textarea)).catch(() => undefined);
  };

  for (const textarea of form.querySelectorAll('textarea[data-section]')) {
    sent.set(textarea.dataset.section, textarea.value);
    textarea.addEventListener('input', () => {
      clearTimeout(timers.get(textarea));
      timers.set(
        textarea,
        setTimeout(() => enqueue(textarea), IDLE_MS),
      );
    });
    textarea.addEventListener('blur', () => {
      clearTimeout(timers.get(textarea));
      enqueue(textarea);
    });
  }

  // Pressing a button leaves the box, which starts a save; the form must not race it with the version it had
  // before (the service would answer that someone else changed the draft). Any form that carries the draft's
  // version waits for the saves in flight, then goes with the version they were given.
  document.addEventListener('submit', (event) => {
    const target = event.target;
    if (!(target instanceof window.HTMLFormElement) || !target.querySelector('input[data-draft-version]')) return;
    event.preventDefault();
    for (const timer of timers.values()) clearTimeout(timer);
    const submitter = event.submitter;
    if (submitter?.name) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = submitter.name;
      input.value = submitter.value;
      target.append(input);
    }
    // submit() sends the form without another submit event.
    queue.then(() => window.HTMLFormElement.prototype.submit.call(target));
  });
}
