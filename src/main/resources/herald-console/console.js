// Herald console: the core (API calls, safe DOM building, sign-in, navigation). Pages live in operator.js and
// tenant.js. Data only ever reaches the page as text (textContent, attribute values, a sandboxed iframe's srcdoc):
// never through innerHTML.
'use strict';

const Herald = {
  me: null,
  pages: {},       // hash route name -> function(params) rendering into #page
  navs: {operator: [], tenant: []},
  timers: [],
};

/** Builds an element; attrs are set as properties or attributes, children are nodes or strings (text). */
Herald.el = function (tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else if (name === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (name in node) {
      node[name] = value;
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
};

/** Calls the API through the console's session: Herald.api('GET', '/v1/campaigns'). Answers {status, body}. */
Herald.api = async function (method, path, body) {
  const headers = {'Accept': 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && Herald.me) headers['X-CSRF-Token'] = Herald.me.csrf;
  const url = path.startsWith('/console/') ? path : '/console/api' + path;
  const response = await fetch(url, {method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = {message: text}; }
  if (response.status === 401 && path !== '/console/session' && Herald.me) {
    Herald.me = null;
    Herald.showSignIn('Your session ended (or the key was revoked): sign in again.');
  }
  return {status: response.status, ok: response.ok, body: json};
};

/** The first array in a list answer ({"accounts": [...], "next": ...} or a bare array). */
Herald.items = function (body) {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object') {
    for (const value of Object.values(body)) if (Array.isArray(value)) return value;
  }
  return [];
};

/** The cursor of the next page of a list answer, if any. */
Herald.next = function (body) {
  if (!body || typeof body !== 'object') return null;
  return body.next || body.nextCursor || body.cursor || null;
};

Herald.errorText = function (answer) {
  const b = answer.body || {};
  return (b.message || 'Request failed') + (b.code ? ' (' + b.code + ')' : '') + ' [HTTP ' + answer.status + ']';
};

/** A table from rows: columns [{title, value(row) -> node|string}], onClick(row) optional. */
Herald.table = function (id, columns, rows, onClick) {
  const E = Herald.el;
  return E('table', {id},
    E('thead', {}, E('tr', {}, columns.map(c => E('th', {}, c.title)))),
    E('tbody', {}, rows.length === 0
      ? E('tr', {}, E('td', {colSpan: columns.length, className: 'muted'}, 'Nothing to show.'))
      : rows.map(row => E('tr', {className: onClick ? 'clickable' : '', on: onClick ? {click: () => onClick(row)} : {}},
          columns.map(c => E('td', {}, c.value(row)))))));
};

Herald.formValues = function (form) {
  const values = {};
  for (const [name, value] of new FormData(form).entries()) values[name] = typeof value === 'string' ? value.trim() : value;
  return values;
};

Herald.every = function (ms, fn) {
  fn();
  Herald.timers.push(setInterval(fn, ms));
};

Herald.page = function (...children) {
  const page = document.getElementById('page');
  page.replaceChildren(...children.flat());
  return page;
};

Herald.showSignIn = function (message) {
  Herald.stopTimers();
  document.getElementById('page').hidden = true;
  document.getElementById('nav').hidden = true;
  document.getElementById('signout').hidden = true;
  document.getElementById('who').textContent = '';
  document.getElementById('signin-page').hidden = false;
  document.getElementById('signin-error').textContent = message || '';
};

Herald.stopTimers = function () {
  Herald.timers.forEach(clearInterval);
  Herald.timers = [];
};

Herald.route = function () {
  Herald.stopTimers();
  if (!Herald.me) return;
  const navs = Herald.navs[Herald.me.kind];
  const path = location.hash.replace(/^#\/?/, '').split('?')[0];
  const [name, ...params] = (path || navs[0].route).split('/').map(decodeURIComponent);
  const key = Herald.me.kind + ':' + name;
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.route === name);
  document.getElementById('signin-page').hidden = true;
  document.getElementById('page').hidden = false;
  const render = Herald.pages[key] || Herald.pages[Herald.me.kind + ':' + navs[0].route];
  Promise.resolve(render(params)).catch(e => Herald.page(Herald.el('p', {className: 'error'}, String(e))));
};

Herald.signedIn = function (me) {
  Herald.me = me;
  const E = Herald.el;
  document.getElementById('nav').replaceChildren(...Herald.navs[me.kind].map(n =>
    E('a', {href: '#/' + n.route, id: 'nav-' + n.route, dataset: {route: n.route}}, n.title)));
  document.getElementById('nav').hidden = false;
  document.getElementById('signout').hidden = false;
  document.getElementById('who').textContent = me.kind === 'operator' ? 'Operator'
    : 'Account ' + me.accountId + ' · key ' + me.keyId + (me.sandbox ? ' · sandbox' : '');
  Herald.route();
};

document.addEventListener('DOMContentLoaded', async () => {
  document.getElementById('signin').addEventListener('submit', async event => {
    event.preventDefault();
    const form = event.target;
    document.getElementById('signin-error').textContent = '';
    const answer = await Herald.api('POST', '/console/session',
      {kind: form.elements.kind.value, secret: form.elements.secret.value});
    form.elements.secret.value = '';
    if (!answer.ok) {
      document.getElementById('signin-error').textContent = (answer.body && answer.body.message) || 'Sign-in failed';
      return;
    }
    location.hash = '';
    Herald.signedIn(answer.body);
  });
  document.getElementById('signout').addEventListener('click', async () => {
    await Herald.api('DELETE', '/console/session');
    Herald.me = null;
    location.hash = '';
    Herald.showSignIn('Signed out.');
  });
  window.addEventListener('hashchange', Herald.route);
  const me = await Herald.api('GET', '/console/session');
  if (me.ok) Herald.signedIn(me.body); else Herald.showSignIn('');
});
