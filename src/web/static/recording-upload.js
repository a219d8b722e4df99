/**
 * Sending a recording file on /recordings/:rid/upload, resumably (the tus protocol, tus-js-client).
 *
 * The page's form works without this script (a plain file upload). With it, the file goes in parts
 * of 16 MB to /uploads/recordings: a dropped connection is retried with back-off, and after a page
 * reload choosing the same file again carries on from where it stopped (the upload's address is kept
 * in this browser's storage under the recording id, its size and date: never the file's name).
 * Before sending, the browser works out the file's SHA-256 (files up to a limit, as it reads the
 * whole file into memory) and sends it with the upload, so the service proves it received exactly
 * this file. Progress is shown as the parts are acknowledged.
 */
/* global document, window */

const CHUNK_BYTES = 16 * 1024 * 1024;
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000];

const form = document.getElementById('upload-form');
const tus = window.tus;
if (form && tus && tus.isSupported) setUp(form);

function setUp(form) {
  const $ = (id) => document.getElementById(id);
  const data = form.dataset;
  const recordingId = data.recordingId;
  const maxBytes = Number(data.maxBytes);
  const hashLimit = Number(data.hashLimit);
  const declared = (data.declaredSha256 || '').toLowerCase();
  const input = $('file');
  const button = $('upload-button');
  const progress = $('upload-progress');
  const bar = $('upload-progress-bar');
  const status = $('upload-status');
  const method = $('upload-method');
  const errorsBox = $('upload-errors');
  const pageTitle = document.title.replace(/^Error: /, '');
  const canHash = Boolean(window.crypto && crypto.subtle);
  const fingerprintPrefix = `cpcr-recording-${recordingId}-`;
  let upload = null;
  let sending = false;
  let lastAnnounced = -1;

  method.textContent =
    `The file is sent in parts. If the connection drops it carries on by itself; if you close or reload this page, choose the same file again and it carries on from where it stopped. ` +
    (canHash
      ? `Your browser works out the file’s SHA-256 first (for files up to ${data.hashLimitText}), so the service can prove it received exactly your file. For larger files the service works it out when the file arrives.`
      : 'This browser cannot work out the file’s SHA-256, so the service works it out when the file arrives.');

  const storage = tus.defaultOptions && tus.defaultOptions.urlStorage;
  if (storage && storage.findAllUploads) {
    storage
      .findAllUploads()
      .then((all) => {
        if (all.some((u) => typeof u.urlStorageKey === 'string' && u.urlStorageKey.includes(fingerprintPrefix))) {
          say(
            'You have started sending a file for this recording. Choose the same file again and it carries on from where it stopped.',
          );
          progress.hidden = false;
        }
      })
      .catch(() => undefined);
  }

  function say(text) {
    status.textContent = text;
  }

  function clearError() {
    errorsBox.replaceChildren();
    document.title = pageTitle;
    const group = input.closest('.govuk-form-group');
    if (group) group.classList.remove('govuk-form-group--error');
    input.classList.remove('govuk-file-upload--error');
    const old = $('file-error');
    if (old) old.remove();
    input.setAttribute('aria-describedby', ['file-hint'].filter((id) => $(id)).join(' '));
  }

  /** A GOV.UK error summary at the top and the message on the file field, as the server renders them. */
  function showError(text) {
    clearError();
    document.title = `Error: ${pageTitle}`;
    const summary = document.createElement('div');
    summary.className = 'govuk-error-summary';
    summary.setAttribute('data-module', 'govuk-error-summary');
    const alert = document.createElement('div');
    alert.setAttribute('role', 'alert');
    const h2 = document.createElement('h2');
    h2.className = 'govuk-error-summary__title';
    h2.textContent = 'There is a problem';
    const body = document.createElement('div');
    body.className = 'govuk-error-summary__body';
    const ul = document.createElement('ul');
    ul.className = 'govuk-list govuk-error-summary__list';
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = '#file';
    a.textContent = text;
    a.addEventListener('click', (e) => {
      e.preventDefault();
      input.focus();
    });
    li.append(a);
    ul.append(li);
    body.append(ul);
    alert.append(h2, body);
    summary.append(alert);
    errorsBox.append(summary);
    const group = input.closest('.govuk-form-group');
    if (group) group.classList.add('govuk-form-group--error');
    input.classList.add('govuk-file-upload--error');
    const message = document.createElement('p');
    message.id = 'file-error';
    message.className = 'govuk-error-message';
    const hidden = document.createElement('span');
    hidden.className = 'govuk-visually-hidden';
    hidden.textContent = 'Error:';
    message.append(hidden, ` ${text}`);
    input.before(message);
    input.setAttribute('aria-describedby', ['file-hint', 'file-error'].filter((id) => $(id)).join(' '));
    errorsBox.focus();
  }

  function bytes(n) {
    const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
    let v = n;
    let u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u === 0 ? `${n} bytes` : `${v >= 100 ? Math.round(v) : Math.round(v * 10) / 10} ${units[u]}`;
  }

  async function sha256Hex(file) {
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** The service's own words for a refusal, or null for a network failure. */
  function serverMessage(err) {
    const res = err && err.originalResponse;
    if (!res) return null;
    if (!res.getHeader('Tus-Resumable'))
      return 'You may have been signed out. Sign in again in another tab, then choose “Try again”.';
    const text = (res.getBody() || '').trim();
    return text || null;
  }

  function shouldRetry(err) {
    const res = err && err.originalResponse;
    const code = res ? res.getStatus() : 0;
    // Network failures, the server's own failures and offset conflicts are retried; refusals are not,
    // nor a full disk (507), whose message is shown until someone has made room.
    if (code === 507) return false;
    return code === 0 || code >= 500 || code === 409 || code === 423 || code === 429;
  }

  function finishWithError(text) {
    sending = false;
    button.disabled = false;
    button.textContent = 'Try again';
    showError(text);
  }

  function start(file, sha256) {
    const metadata = { recordingId };
    if (sha256) metadata.sha256 = sha256;
    upload = new tus.Upload(file, {
      endpoint: data.endpoint,
      chunkSize: CHUNK_BYTES,
      retryDelays: RETRY_DELAYS,
      metadata,
      headers: { 'x-csrf-token': data.csrf },
      fingerprint: (f) => Promise.resolve(`${fingerprintPrefix}${f.size}-${f.lastModified}`),
      removeFingerprintOnSuccess: true,
      onShouldRetry: (err) => {
        const retry = shouldRetry(err);
        if (retry) say('The connection was lost. Trying again…');
        return retry;
      },
      onProgress: (sent, total) => {
        const pct = total ? Math.floor((sent / total) * 100) : 0;
        bar.value = pct;
        bar.textContent = `${pct}%`;
        // Announced in steps so a screen reader is not flooded.
        const step = Math.floor(pct / 10);
        if (step !== lastAnnounced) {
          lastAnnounced = step;
          say(`Sent ${bytes(sent)} of ${bytes(total)} (${pct}%)`);
        }
      },
      onError: (err) => {
        finishWithError(
          serverMessage(err) ||
            'The file could not be sent because the connection failed. Check your connection, then choose “Try again”: it carries on from where it stopped.',
        );
      },
      onSuccess: () => {
        sending = false;
        bar.value = 100;
        say('The file has been sent. It is now being checked and stored.');
        window.location.assign(data.doneHref);
      },
    });
    return upload.findPreviousUploads().then((previous) => {
      if (previous.length) {
        upload.resumeFromPreviousUpload(previous[0]);
        say('Carrying on from where the last attempt stopped…');
      } else {
        say('Sending the file…');
      }
      upload.start();
    });
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;
    // After a failure, "Try again" carries on with the same file from where it stopped.
    if (upload && input.files && input.files[0] === upload.file) {
      clearError();
      sending = true;
      button.disabled = true;
      say('Trying again…');
      upload.start();
      return;
    }
    const file = input.files && input.files[0];
    if (!file) return showError('Select the recording file');
    if (file.size === 0) return showError('The selected file is empty');
    if (file.size > maxBytes) return showError(`The selected file must be smaller than ${data.maxText}`);
    clearError();
    sending = true;
    button.disabled = true;
    progress.hidden = false;
    lastAnnounced = -1;
    bar.value = 0;
    let sha256 = null;
    try {
      const probe = new tus.Upload(file, {
        endpoint: data.endpoint,
        fingerprint: (f) => Promise.resolve(`${fingerprintPrefix}${f.size}-${f.lastModified}`),
      });
      const resuming = (await probe.findPreviousUploads()).length > 0;
      // A resumed upload's SHA-256 was sent when it started.
      if (!resuming && canHash && file.size <= hashLimit) {
        say('Working out the file’s SHA-256…');
        sha256 = await sha256Hex(file);
        if (declared && sha256 !== declared) {
          return finishWithError(
            'The file you chose is not the file whose SHA-256 you gave. Choose that file, or cancel this upload and start again.',
          );
        }
      } else if (!resuming && file.size > hashLimit) {
        say(`The file is larger than ${data.hashLimitText}, so the service works out its SHA-256 when it arrives.`);
      }
      await start(file, sha256);
    } catch (err) {
      finishWithError(err && err.message ? `The file could not be read: ${err.message}` : 'The file could not be read');
    }
  });

  input.addEventListener('change', () => {
    // A different file starts afresh.
    if (upload && !sending) {
      upload = null;
      button.textContent = 'Send the file';
    }
  });

  window.addEventListener('online', () => {
    if (upload && !sending && button.textContent === 'Try again') {
      clearError();
      sending = true;
      button.disabled = true;
      say('The connection is back. Carrying on…');
      upload.start();
    }
  });

  window.addEventListener('beforeunload', (event) => {
    if (sending) event.preventDefault();
  });
}
