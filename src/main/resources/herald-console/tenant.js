// Tenant pages: overview (counters, chart), campaigns with a live preview, the message log with filters and each
// message's timeline, dispatch progress, callback dead letters, and the sandbox outbox.
'use strict';

Herald.navs.tenant = [
  {route: 'overview', title: 'Overview'},
  {route: 'campaigns', title: 'Campaigns'},
  {route: 'messages', title: 'Messages'},
  {route: 'dispatches', title: 'Dispatches'},
  {route: 'dead-letters', title: 'Dead letters'},
  {route: 'outbox', title: 'Sandbox outbox'},
];

Herald.pages['tenant:overview'] = () => Herald.overview('Overview');
Herald.pages['tenant:dead-letters'] = () => Herald.deadLetters('/v1/callbacks/dead-letters');

Herald.pages['tenant:campaigns'] = async function () {
  const E = Herald.el;
  const list = E('div', {id: 'campaigns-list'});
  Herald.page(E('h1', {}, 'Campaigns'), list);
  await Herald.pagedList(list, '/v1/campaigns', 'campaigns-table', [
    {title: 'Code', value: c => c.code},
    {title: 'Name', value: c => E('span', {className: 'campaign-name'}, c.name)},
    {title: 'Channel', value: c => c.channel},
    {title: 'Status', value: c => c.status},
  ], c => { location.hash = '#/campaign/' + encodeURIComponent(c.code); });
};

/** Rendered content: subject, text, and HTML in a sandboxed frame (no scripts, no same origin). */
Herald.rendered = function (content) {
  const E = Herald.el;
  const parts = [];
  if (content.from) parts.push(E('p', {}, E('strong', {}, 'From: '), E('span', {className: 'rendered-from'}, content.from)));
  if (content.subject !== undefined && content.subject !== null) {
    parts.push(E('p', {}, E('strong', {}, 'Subject: '), E('span', {className: 'rendered-subject'}, content.subject)));
  }
  if (content.text !== undefined && content.text !== null) parts.push(E('pre', {className: 'rendered-text'}, content.text));
  if (content.html) {
    const frame = E('iframe', {className: 'rendered', sandbox: '', title: 'HTML content', referrerPolicy: 'no-referrer'});
    frame.srcdoc = content.html;
    parts.push(frame);
  }
  if (content.encoding) parts.push(E('p', {className: 'muted'}, content.encoding + ', ' + content.segments + ' segment(s)'));
  return parts;
};

/** A message's rendered content (with its SMS encoding), or a note once retention erased it. */
Herald.content = function (m) {
  if (!m.content) return [Herald.el('p', {className: 'muted'}, m.contentErasedAt ? 'Content erased at ' + m.contentErasedAt : 'Content not kept.')];
  return Herald.rendered(Object.assign({}, m.content, {encoding: m.encoding, segments: m.segments}));
};

Herald.pages['tenant:campaign'] = async function ([code]) {
  const E = Herald.el;
  const path = '/v1/campaigns/' + encodeURIComponent(code);
  const answer = await Herald.api('GET', path);
  if (!answer.ok) { Herald.page(E('h1', {}, 'Campaign'), E('p', {className: 'error'}, Herald.errorText(answer))); return; }
  const c = answer.body;
  const params = E('textarea', {id: 'preview-params', placeholder: '{"name": "Maria"}'});
  params.value = '{}';
  const out = E('div', {id: 'preview'});
  let pending = null;
  const preview = async () => {
    let parameters;
    try { parameters = JSON.parse(params.value || '{}'); } catch (e) {
      out.replaceChildren(E('p', {className: 'error'}, 'Parameters must be a JSON object: ' + e.message)); return;
    }
    const r = await Herald.api('POST', path + '/preview', {parameters});
    if (!r.ok) { out.replaceChildren(E('p', {className: 'error'}, Herald.errorText(r))); return; }
    const warning = r.body.warning || r.body.message
      || (r.body.missingParameters && r.body.missingParameters.length ? 'Missing parameters: ' + r.body.missingParameters.join(', ') : '');
    out.replaceChildren(warning ? E('p', {className: 'warning', id: 'preview-warning'}, warning) : '',
      ...Herald.rendered(r.body.content || r.body));
  };
  params.addEventListener('input', () => { clearTimeout(pending); pending = setTimeout(preview, 300); });
  Herald.page(E('h1', {id: 'campaign-title'}, c.name),
    E('p', {className: 'muted'}, c.code + ' · ' + c.channel + ' · ' + c.status),
    E('div', {className: 'columns'},
      E('div', {className: 'panel'}, E('h2', {}, 'Template'), ...Herald.rendered(c)),
      E('div', {className: 'panel'}, E('h2', {}, 'Live preview'),
        E('p', {className: 'muted'}, 'Parameters (JSON): the preview follows as you type.'), params, out)));
  await preview();
};

const STATUSES = ['', 'ACCEPTED', 'SCHEDULED', 'QUEUED', 'SENT', 'DELIVERED', 'NOT_DELIVERED', 'FAILED', 'REJECTED'];

Herald.pages['tenant:messages'] = async function () {
  const E = Herald.el;
  const q = new URLSearchParams(location.hash.split('?')[1] || '');
  const field = (label, name, input) => E('label', {}, label + ' ', input);
  const form = E('form', {id: 'message-filters'},
    field('Status', 'status', E('select', {name: 'status', id: 'filter-status'}, STATUSES.map(s => E('option', {value: s}, s || 'any')))),
    field('Channel', 'channel', E('select', {name: 'channel', id: 'filter-channel'}, ['', 'EMAIL', 'SMS'].map(s => E('option', {value: s}, s || 'any')))),
    field('Recipient', 'recipient', E('input', {type: 'text', name: 'recipient', id: 'filter-recipient'})),
    field('Dispatch', 'dispatch', E('input', {type: 'text', name: 'dispatch', id: 'filter-dispatch'})),
    field('From', 'from', E('input', {type: 'datetime-local', name: 'from', id: 'filter-from'})),
    field('To', 'to', E('input', {type: 'datetime-local', name: 'to', id: 'filter-to'})),
    E('button', {type: 'submit', id: 'filter-submit'}, 'Filter'));
  for (const [k, v] of q.entries()) if (form.elements[k]) form.elements[k].value = v;
  const list = E('div', {id: 'messages-list'});
  form.addEventListener('submit', event => {
    event.preventDefault();
    const values = Herald.formValues(form);
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(values)) if (v) query.set(k, (k === 'from' || k === 'to') ? new Date(v).toISOString() : v);
    location.hash = '#/messages?' + query.toString();
  });
  Herald.page(E('h1', {}, 'Messages'), form, list);
  const apiQuery = new URLSearchParams();
  for (const [k, v] of q.entries()) if (v) apiQuery.set(k, v);
  await Herald.pagedList(list, '/v1/messages' + (apiQuery.toString() ? '?' + apiQuery : ''), 'messages-table', [
    {title: 'Message', value: m => m.messageId},
    {title: 'Recipient', value: m => m.recipient ?? '(erased)'},
    {title: 'Channel', value: m => m.channel},
    {title: 'Status', value: m => m.status},
    {title: 'Dispatch', value: m => m.dispatchId ?? ''},
    {title: 'Accepted', value: m => m.acceptedAt || ''},
  ], m => { location.hash = '#/message/' + encodeURIComponent(m.messageId); });
};

Herald.pages['tenant:message'] = async function ([id]) {
  const E = Herald.el;
  const answer = await Herald.api('GET', '/v1/messages/' + encodeURIComponent(id));
  if (!answer.ok) { Herald.page(E('h1', {}, 'Message'), E('p', {className: 'error'}, Herald.errorText(answer))); return; }
  const m = answer.body;
  Herald.page(E('h1', {id: 'message-title'}, 'Message ' + m.messageId),
    E('p', {}, (m.recipient ?? '(erased)') + ' · ' + m.channel + ' · ', E('strong', {id: 'message-status'}, m.status),
      m.dispatchId ? ' · dispatch ' + m.dispatchId : ''),
    E('div', {className: 'columns'},
      E('div', {className: 'panel'}, E('h2', {}, 'Timeline'),
        E('ol', {className: 'timeline', id: 'timeline'}, (m.events || []).map(e =>
          E('li', {}, E('span', {className: 'status'}, e.status), E('span', {className: 'muted'}, e.at),
            e.detail ? E('div', {}, e.detail) : '')))),
      E('div', {className: 'panel'}, E('h2', {}, 'Content'),
        ...Herald.content(m))));
};

Herald.pages['tenant:dispatches'] = async function () {
  const E = Herald.el;
  const list = E('div', {id: 'dispatches-list'});
  Herald.page(E('h1', {}, 'Dispatches'), list);
  const FINAL = ['DELIVERED', 'NOT_DELIVERED', 'FAILED', 'REJECTED'];
  const final = d => FINAL.reduce((n, s) => n + ((d.messages || {})[s] || 0), 0);
  await Herald.pagedList(list, '/v1/dispatches', 'dispatches-table', [
    {title: 'Dispatch', value: d => d.dispatchId},
    {title: 'Campaign', value: d => d.campaignCode || d.campaignId || ''},
    {title: 'Dialect', value: d => d.dialect + (d.test ? ' (test)' : '')},
    {title: 'Created', value: d => d.createdAt || ''},
    {title: 'Recipients', value: d => d.totalRecipients ?? ''},
    {title: 'Progress', value: d => {
      const total = d.totalRecipients || 0;
      const pct = total ? Math.min(100, Math.round(100 * final(d) / total)) : 0;
      const bar = E('span', {className: 'progress'}, E('span', {}));
      bar.firstChild.style.width = pct + '%';
      return E('span', {className: 'dispatch-progress'}, bar, ' ' + final(d) + '/' + total + ' final');
    }},
    {title: 'Messages', value: d => Object.entries(d.messages || {}).map(([s, n]) => s + ' ' + n).join(', ')},
    {title: 'State', value: d => d.sendStatus + (d.errorMessage ? ': ' + d.errorMessage : '')},
  ], d => { location.hash = '#/messages?dispatch=' + encodeURIComponent(d.dispatchId ?? d.id); });
};

Herald.pages['tenant:outbox'] = async function () {
  const E = Herald.el;
  const box = E('div', {id: 'outbox'});
  Herald.page(E('h1', {}, 'Sandbox outbox'),
    E('p', {className: 'muted'}, 'What the sandbox keys\u2019 messages would have sent, rendered. Newest first.'), box);
  const answer = await Herald.api('GET', '/v1/messages?limit=200');
  if (!answer.ok) { box.replaceChildren(E('p', {className: 'error'}, Herald.errorText(answer))); return; }
  const ids = Herald.items(answer.body).filter(m => m.sandbox === true).slice(0, 20).map(m => m.messageId);
  const messages = await Promise.all(ids.map(id => Herald.api('GET', '/v1/messages/' + encodeURIComponent(id))));
  const shown = messages.filter(r => r.ok).map(r => r.body);
  box.replaceChildren(...(shown.length === 0 ? [E('p', {className: 'muted'}, 'Nothing in the outbox.')] : shown.map(m =>
    E('div', {className: 'panel outbox-item', dataset: {id: m.messageId}},
      E('h2', {}, 'To ', m.recipient ?? '(erased)', ' · ', m.channel, ' · ', m.status),
      ...Herald.content(m)))));
};
