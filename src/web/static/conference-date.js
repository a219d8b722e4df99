/* global document */
// Checks the conference date against its statutory timescale while it is typed (progressive
// enhancement: without JavaScript the check-answers page says the same). Bank holidays are only
// known to the server, so the message is about the window, and the server has the last word.
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function parse(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

function long(d) {
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

for (const el of document.querySelectorAll('[data-module="conference-date-check"]')) {
  const prefix = el.dataset.dateInput;
  const from = parse(el.dataset.from);
  const earliest = parse(el.dataset.earliest);
  const latest = parse(el.dataset.latest);
  const fields = ['day', 'month', 'year'].map((p) => document.getElementById(`${prefix}-${p}`));
  if (!latest || fields.some((f) => !f)) continue;
  const status = document.createElement('p');
  status.className = 'govuk-body';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  fields[2].closest('.govuk-form-group').append(status);

  const update = () => {
    const [d, m, y] = fields.map((f) => Number(f.value.trim()));
    const date =
      Number.isInteger(d) && Number.isInteger(m) && Number.isInteger(y) && y >= 2000
        ? new Date(Date.UTC(y, m - 1, d))
        : null;
    if (!date || date.getUTCDate() !== d || date.getUTCMonth() !== m - 1) {
      status.textContent = '';
      return;
    }
    const day = date.getUTCDay();
    if (from && date < from)
      status.textContent = `${long(date)} is before ${long(from)}, the date the timescale runs from: choose a later date.`;
    else if (day === 0 || day === 6) status.textContent = `${long(date)} is not a working day.`;
    else if (date > latest)
      status.textContent = `${long(date)} is after the timescale: you will be asked which senior manager agreed it and why.`;
    else if (earliest && date < earliest)
      status.textContent = `${long(date)} is before the window for this conference: you will be asked which senior manager agreed it and why.`;
    else status.textContent = `${long(date)} is within the timescale.`;
  };
  for (const f of fields) f.addEventListener('input', update);
  update();
}
