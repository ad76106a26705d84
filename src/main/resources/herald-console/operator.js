// Operator pages: accounts (list, create, edit, disable), an account's keys (create: secret shown once; revoke),
// overview (counters and chart over every account), callback dead letters.
'use strict';

Herald.navs.operator = [
  {route: 'accounts', title: 'Accounts'},
  {route: 'overview', title: 'Overview'},
  {route: 'dead-letters', title: 'Dead letters'},
];

function accountBody(values) {
  const body = {name: values.name};
  body.messageLimit = values.messageLimit === '' || values.messageLimit === undefined ? null : Number(values.messageLimit);
  body.allowedCountries = !values.allowedCountries ? null
    : values.allowedCountries.split(/[\s,]+/).filter(Boolean).map(c => c.toUpperCase());
  return body;
}

Herald.pages['operator:accounts'] = async function () {
  const E = Herald.el;
  const error = E('p', {className: 'error', id: 'account-create-error'});
  const form = E('form', {id: 'account-create'},
    E('h2', {}, 'New account'),
    E('label', {}, 'Name ', E('input', {type: 'text', name: 'name', id: 'account-name', required: true})),
    E('label', {}, 'Message limit ', E('input', {type: 'number', name: 'messageLimit', id: 'account-limit', min: 1})),
    E('label', {}, 'Allowed countries ', E('input', {type: 'text', name: 'allowedCountries', id: 'account-countries', placeholder: 'GR, CY'})),
    E('button', {type: 'submit', id: 'account-create-submit'}, 'Create account'), error);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const answer = await Herald.api('POST', '/admin/accounts', accountBody(Herald.formValues(form)));
    if (!answer.ok) { error.textContent = Herald.errorText(answer); return; }
    location.hash = '#/account/' + answer.body.id;
  });
  const list = E('div', {id: 'accounts-list'});
  Herald.page(E('h1', {}, 'Accounts'), form, list);
  await Herald.pagedList(list, '/admin/accounts', 'accounts-table', [
    {title: 'Id', value: a => a.id},
    {title: 'Name', value: a => a.name},
    {title: 'Message limit', value: a => a.messageLimit === null || a.messageLimit === undefined ? '—' : a.messageLimit},
    {title: 'Countries', value: a => (a.allowedCountries || []).join(', ') || 'default'},
    {title: 'State', value: a => a.disabled ? 'disabled' : 'active'},
  ], a => { location.hash = '#/account/' + a.id; });
};

/** A list with "More" for its next page (opaque cursor). */
Herald.pagedList = async function (container, path, id, columns, onClick) {
  const E = Herald.el;
  let rows = [];
  const load = async cursor => {
    const sep = path.includes('?') ? '&' : '?';
    const answer = await Herald.api('GET', cursor ? path + sep + 'cursor=' + encodeURIComponent(cursor) : path);
    if (!answer.ok) { container.replaceChildren(E('p', {className: 'error'}, Herald.errorText(answer))); return; }
    rows = rows.concat(Herald.items(answer.body));
    const next = Herald.next(answer.body);
    container.replaceChildren(Herald.table(id, columns, rows, onClick),
      next ? E('button', {type: 'button', className: 'secondary', id: id + '-more', on: {click: () => load(next)}}, 'More') : '');
  };
  await load(null);
};

Herald.pages['operator:account'] = async function ([id]) {
  const E = Herald.el;
  const path = '/admin/accounts/' + encodeURIComponent(id);
  const answer = await Herald.api('GET', path);
  if (!answer.ok) { Herald.page(E('h1', {}, 'Account ' + id), E('p', {className: 'error'}, Herald.errorText(answer))); return; }
  const a = answer.body;
  const saved = E('p', {className: 'error', id: 'account-edit-message'});
  const form = E('form', {id: 'account-edit'},
    E('h2', {}, 'Settings'),
    E('label', {}, 'Name ', E('input', {type: 'text', name: 'name', id: 'edit-name', value: a.name || '', required: true})),
    E('label', {}, 'Message limit ', E('input', {type: 'number', name: 'messageLimit', id: 'edit-limit', min: 1,
      value: a.messageLimit === null || a.messageLimit === undefined ? '' : String(a.messageLimit)})),
    E('label', {}, 'Allowed countries ', E('input', {type: 'text', name: 'allowedCountries', id: 'edit-countries',
      value: (a.allowedCountries || []).join(', ')})),
    E('label', {}, E('input', {type: 'checkbox', name: 'disabled', id: 'edit-disabled', checked: !!a.disabled}), ' Disabled'),
    E('button', {type: 'submit', id: 'account-save'}, 'Save'), saved);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const body = accountBody(Herald.formValues(form));
    body.disabled = form.elements.disabled.checked;
    const r = await Herald.api('PATCH', path, body);
    saved.className = r.ok ? 'muted' : 'error';
    saved.textContent = r.ok ? 'Saved.' : Herald.errorText(r);
  });
  const secret = E('div', {id: 'new-key'});
  const keys = E('div', {id: 'keys'});
  const sandbox = E('input', {type: 'checkbox', id: 'key-sandbox'});
  const create = E('button', {type: 'button', id: 'key-create'}, 'Create key');
  create.addEventListener('click', async () => {
    const r = await Herald.api('POST', path + '/keys', {sandbox: sandbox.checked});
    if (!r.ok) { secret.replaceChildren(E('p', {className: 'error'}, Herald.errorText(r))); return; }
    secret.replaceChildren(E('div', {className: 'notice'},
      E('strong', {}, 'Copy the key now: it is shown only once. '),
      E('p', {}, 'API key: ', E('span', {className: 'secret', id: 'new-key-value'}, r.body.apiKey)),
      E('p', {}, 'API secret (COSMOS): ', E('span', {className: 'secret', id: 'new-key-secret'}, r.body.apiSecret)),
      E('button', {type: 'button', className: 'secondary', id: 'new-key-done', on: {click: () => secret.replaceChildren()}}, 'Done')));
    await showKeys();
  });
  const showKeys = async () => {
    const r = await Herald.api('GET', path + '/keys');
    if (!r.ok) { keys.replaceChildren(E('p', {className: 'error'}, Herald.errorText(r))); return; }
    keys.replaceChildren(Herald.table('keys-table', [
      {title: 'Id', value: k => k.id},
      {title: 'Prefix', value: k => k.prefix || ''},
      {title: 'Sandbox', value: k => (k.sandbox ? 'yes' : 'no')},
      {title: 'Created', value: k => k.createdAt || ''},
      {title: 'Last used', value: k => k.lastUsedAt || '—'},
      {title: 'Revoked', value: k => k.revokedAt || (k.revoked ? 'yes' : '')},
      {title: '', value: k => (k.revokedAt || k.revoked) ? '' : revokeButton(k)},
    ], Herald.items(r.body)));
  };
  const revokeButton = k => {
    const b = E('button', {type: 'button', className: 'secondary revoke-key', dataset: {id: k.id}}, 'Revoke');
    b.addEventListener('click', async () => {
      if (!b.classList.contains('danger')) { b.classList.add('danger'); b.textContent = 'Click again to revoke'; return; }
      const r = await Herald.api('DELETE', path + '/keys/' + encodeURIComponent(k.id));
      if (!r.ok) { b.textContent = Herald.errorText(r); return; }
      await showKeys();
    });
    return b;
  };
  Herald.page(E('h1', {id: 'account-title'}, 'Account ' + a.id + ': ' + (a.name || '')),
    E('p', {className: 'muted'}, 'Messages sent: ' + (a.messagesSent ?? '—')), form,
    E('div', {className: 'panel'}, E('h2', {}, 'API keys'),
      E('p', {}, E('label', {}, sandbox, ' sandbox key'), ' ', create), secret, keys));
  await showKeys();
};

Herald.pages['operator:overview'] = () => Herald.overview('Overview: every account');
Herald.pages['operator:dead-letters'] = () => Herald.deadLetters('/admin/callbacks/dead-letters');
