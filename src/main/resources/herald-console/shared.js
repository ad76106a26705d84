// Pages both kinds of session have: live counters with the throughput chart, and the callback dead letters.
'use strict';

const CHART_COLOURS = {ACCEPTED: '#2d5bd1', SENT: '#e69c24', DELIVERED: '#2f9e5b', FAILED: '#c03131'};

/** Live counters and the throughput chart from /console/stats, refreshed every 3 s while the page is open. */
Herald.overview = function (title) {
  const E = Herald.el;
  const counters = E('div', {className: 'counters', id: 'counters'});
  const canvas = E('canvas', {id: 'throughput', width: 1100, height: 260});
  const updated = E('p', {className: 'muted', id: 'stats-updated'});
  Herald.page(E('h1', {}, title), counters,
    E('div', {className: 'panel'}, E('h2', {}, 'Throughput (status events per 10 s, last 10 minutes)'),
      E('p', {className: 'legend'}, Object.keys(CHART_COLOURS).map(s => E('span', {}, E('i', {className: 'swatch-' + s}), s))),
      canvas, updated));
  Herald.every(3000, async () => {
    const answer = await Herald.api('GET', '/console/stats');
    if (!answer.ok) { updated.textContent = Herald.errorText(answer); return; }
    const counts = answer.body.counts || {};
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    counters.replaceChildren(
      E('div', {className: 'counter', dataset: {status: 'TOTAL'}}, E('span', {className: 'value'}, total), E('span', {className: 'label'}, 'messages')),
      ...Object.entries(counts).map(([status, n]) => E('div', {className: 'counter', dataset: {status}},
        E('span', {className: 'value'}, n), E('span', {className: 'label'}, status))));
    Herald.drawChart(canvas, answer.body);
    updated.textContent = 'Updated ' + new Date().toLocaleTimeString();
  });
};

/** Draws the series of a stats answer as lines on the canvas (text through fillText: never markup). */
Herald.drawChart = function (canvas, stats) {
  const ctx = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, left = 48, bottom = 24, top = 10;
  ctx.clearRect(0, 0, w, h);
  const series = stats.series || {};
  const n = Math.max(1, ...Object.values(series).map(v => v.length));
  const max = Math.max(1, ...Object.values(series).flat());
  const x = i => left + (w - left - 10) * (n === 1 ? 0 : i / (n - 1));
  const y = v => h - bottom - (h - bottom - top) * v / max;
  ctx.strokeStyle = '#d8dee9'; ctx.fillStyle = '#5b6578'; ctx.font = '11px sans-serif'; ctx.lineWidth = 1;
  for (let k = 0; k <= 4; k++) {
    const v = Math.round(max * k / 4);
    ctx.beginPath(); ctx.moveTo(left, y(v)); ctx.lineTo(w - 10, y(v)); ctx.stroke();
    ctx.fillText(String(v), 4, y(v) + 4);
  }
  const since = Date.parse(stats.since), step = (stats.bucketSeconds || 10) * 1000;
  for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 6))) {
    ctx.fillText(new Date(since + i * step).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'}), x(i) - 14, h - 6);
  }
  ctx.lineWidth = 2;
  for (const [status, values] of Object.entries(series)) {
    ctx.strokeStyle = CHART_COLOURS[status] || '#888';
    ctx.beginPath();
    values.forEach((v, i) => (i === 0 ? ctx.moveTo(x(i), y(v)) : ctx.lineTo(x(i), y(v))));
    ctx.stroke();
  }
};

/** Parked callbacks with a Replay button each; base is the list's API path. */
Herald.deadLetters = async function (base) {
  const E = Herald.el;
  const message = E('p', {id: 'dead-letters-message', className: 'muted'});
  const answer = await Herald.api('GET', base);
  if (!answer.ok) { Herald.page(E('h1', {}, 'Callback dead letters'), E('p', {className: 'error'}, Herald.errorText(answer))); return; }
  const replay = async (row, button) => {
    button.disabled = true;
    const r = await Herald.api('POST', base + '/' + encodeURIComponent(row.id) + '/replay');
    message.textContent = r.ok ? 'Dead letter ' + row.id + ' replayed: the callback is queued again.' : Herald.errorText(r);
    if (r.ok) button.textContent = 'Replayed';
  };
  Herald.page(E('h1', {}, 'Callback dead letters'),
    E('p', {className: 'muted'}, 'Callbacks that were given up after their retries. Replay puts one back in the queue.'),
    message,
    Herald.table('dead-letters-table', [
      {title: 'Id', value: r => r.id},
      {title: 'Message', value: r => r.messageId && Herald.me.kind === 'tenant' ? E('a', {href: '#/message/' + encodeURIComponent(r.messageId)}, r.messageId) : (r.messageId || '—')},
      {title: 'Event', value: r => r.event},
      {title: 'URL', value: r => r.url},
      {title: 'Attempts', value: r => r.attempts},
      {title: 'Parked at', value: r => r.parkedAt},
      {title: 'Last error', value: r => r.lastError},
      {title: '', value: r => {
        const b = E('button', {type: 'button', className: 'replay', dataset: {id: r.id}}, 'Replay');
        b.addEventListener('click', () => replay(r, b));
        return b;
      }},
    ], Herald.items(answer.body)));
};
