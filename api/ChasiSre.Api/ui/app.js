// The ChasiSre web view. Vanilla JavaScript, no build step. Everything shown comes from /api/v1 and is
// inserted as text (text nodes, textContent): log lines, diffs and model output are hostile, so no
// datum ever reaches an HTML parser or an attribute that runs code. The token lives in sessionStorage only.
'use strict';

(() => {
  const TOKEN_KEY = 'chasi.token';
  const main = document.getElementById('main');
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  let me = null;
  let generation = 0;

  class ApiError extends Error {
    constructor(status, detail, problem) {
      super(detail);
      this.status = status;
      this.problem = problem;
    }
  }

  // h('div', {class: 'card'}, 'text', child): strings become text nodes, never markup.
  function h(tag, props, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'onclick' || name === 'onsubmit') element.addEventListener(name.slice(2), value);
      else if (name === 'disabled' || name === 'hidden') element[name] = Boolean(value);
      else element.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  const token = () => sessionStorage.getItem(TOKEN_KEY);
  const link = (route, ...parts) => '#/' + [route, ...parts.map(encodeURIComponent)].join('/');
  const time = (at) => (at ? new Date(at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');
  const badge = (value) => h('span', { class: 'badge ' + String(value).replace(/[^a-z_]/g, '') }, value);
  const subject = (o) => (o ? `${o.cluster}/${o.kind}/${o.namespace ? o.namespace + '/' : ''}${o.name}` : '');
  const isApprover = () => Boolean(me && me.roles.includes('approver'));

  async function api(path, options = {}) {
    const headers = { Accept: 'application/json', Authorization: 'Bearer ' + token() };
    let body;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch('/api/v1/' + path, {
      method: options.method || 'GET', headers, body, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
    });
    const text = await response.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch { data = null; }
    }
    if (response.status === 401) {
      logout('The API refused this token (401). Log in again.');
      throw new ApiError(401, 'unauthorized', data);
    }
    if (!response.ok) {
      throw new ApiError(response.status, (data && (data.detail || data.title)) || response.statusText, data);
    }
    return data;
  }

  function show(...nodes) {
    main.replaceChildren(...nodes.flat().filter((n) => n !== null && n !== undefined && n !== false));
  }

  function failure(error) {
    return h('p', { class: 'error', role: 'alert' }, error instanceof ApiError ? `${error.status}: ${error.message}` : String(error));
  }

  function logout(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    me = null;
    nav.hidden = true;
    who.textContent = '';
    generation += 1;
    if (location.hash !== '#/login') history.replaceState(null, '', '#/login');
    renderLogin(message);
  }

  function renderLogin(message) {
    const input = h('input', { type: 'password', id: 'token', name: 'token', autocomplete: 'off', required: true, placeholder: 'chasi_…' });
    const status = h('p', { id: 'login-status', class: 'error', role: 'alert' }, message || '');
    const form = h('form', {
      class: 'login card', id: 'login',
      onsubmit: async (event) => {
        event.preventDefault();
        sessionStorage.setItem(TOKEN_KEY, input.value.trim());
        try {
          await loadMe();
          location.hash = '#/incidents';
          route();
        } catch (error) {
          sessionStorage.removeItem(TOKEN_KEY);
          status.textContent = error instanceof ApiError && error.status === 401 ? 'The API refused this token.' : String(error.message || error);
        }
      },
    },
    h('h1', {}, 'Log in'),
    h('p', { class: 'muted' }, 'Paste an API token (Api:Tokens). It stays in this tab (sessionStorage) and is sent only to this API as a bearer token.'),
    h('label', { for: 'token' }, 'API token'), input,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Log in')),
    status);
    show(form);
    input.focus();
  }

  async function loadMe() {
    me = await api('me');
    who.textContent = `${me.name} · ${me.tenants.join(', ')} · ${me.roles.join(', ')}`;
    nav.hidden = false;
  }

  async function renderIncidents(mine) {
    const page = await api('incidents?limit=500');
    if (mine !== generation) return;
    const groups = new Map();
    for (const incident of page.items) {
      const tenant = incident.tenant || (incident.tenants.length ? `platform (affects ${incident.tenants.join(', ')})` : 'platform');
      if (!groups.has(tenant)) groups.set(tenant, new Map());
      const layers = groups.get(tenant);
      if (!layers.has(incident.layer)) layers.set(incident.layer, []);
      layers.get(incident.layer).push(incident);
    }
    const sections = [];
    for (const [tenant, layers] of [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
      const section = h('section', { class: 'card tenant', 'data-tenant': tenant }, h('h2', {}, tenant));
      for (const [layer, incidents] of [...layers.entries()].sort()) {
        section.append(h('h3', {}, `${layer || 'unknown'} layer`), h('table', {},
          h('thead', {}, h('tr', {}, ['Opened', 'Severity', 'State', 'Category', 'Title', 'Subject'].map((c) => h('th', {}, c)))),
          h('tbody', {}, incidents.map((i) => h('tr', { 'data-incident-id': i.id },
            h('td', {}, time(i.openedAt)), h('td', {}, badge(i.severity)), h('td', {}, badge(i.state)), h('td', {}, i.category),
            h('td', {}, h('a', { href: link('incidents', i.id) }, i.title || i.id)), h('td', {}, subject(i.subject)))))));
      }
      sections.push(section);
    }
    show(h('h1', {}, 'Incidents'), page.items.length ? sections : h('p', { class: 'muted' }, 'No incidents visible to this token.'),
      page.nextCursor ? h('p', { class: 'muted' }, 'Showing the newest 500.') : null);
  }

  async function renderIncident(id, mine) {
    const [detail, actions] = await Promise.all([api('incidents/' + encodeURIComponent(id)), api('actions?incident=' + encodeURIComponent(id))]);
    if (mine !== generation) return;
    const incident = detail.incident;
    const diagnosis = detail.diagnosis;
    const parts = [
      h('h1', {}, incident.title || incident.id),
      h('div', { class: 'card' }, h('dl', {},
        h('dt', {}, 'Incident'), h('dd', {}, `${incident.id} (revision ${incident.revision})`),
        h('dt', {}, 'State'), h('dd', {}, badge(incident.state), ' ', badge(incident.severity)),
        h('dt', {}, 'Category'), h('dd', {}, incident.category),
        h('dt', {}, 'Layer'), h('dd', {}, incident.layer),
        h('dt', {}, 'Tenant'), h('dd', {}, incident.tenant || 'platform'),
        h('dt', {}, 'Subject'), h('dd', {}, subject(incident.subject)),
        h('dt', {}, 'Summary'), h('dd', {}, incident.summary),
        h('dt', {}, 'Opened'), h('dd', {}, time(incident.openedAt)))),
    ];
    if (!diagnosis) {
      parts.push(h('p', { class: 'muted' }, 'Not diagnosed yet.'));
    } else {
      parts.push(h('section', { class: 'card', id: 'diagnosis' },
        h('h2', {}, 'Diagnosis'),
        h('dl', {},
          h('dt', {}, 'Root cause'), h('dd', { id: 'root-cause' }, diagnosis.rootCause),
          h('dt', {}, 'Confidence'), h('dd', {}, `${Math.round(diagnosis.confidence * 100)}%`),
          h('dt', {}, 'Engine'), h('dd', {}, diagnosis.engine),
          h('dt', {}, 'Layer'), h('dd', {}, diagnosis.layer)),
        h('h3', {}, 'Explanation'), h('p', { id: 'explanation' }, diagnosis.explanation),
        h('h3', {}, 'Evidence'),
        h('ul', { class: 'plain', id: 'evidence' }, diagnosis.evidence.map((e) => h('li', {}, `${e.summary} `, h('span', { class: 'muted' }, `(${e.topic} ${e.recordId})`)))),
        h('h3', {}, 'Citations'),
        h('ul', { class: 'plain', id: 'citations' }, diagnosis.citations.map((c) => h('li', {}, `kb:${c.chunkId} ${c.title} `, h('span', { class: 'muted' }, `(${c.score.toFixed(2)})`)))),
        h('h3', {}, 'Remediations'),
        h('ul', { class: 'plain' }, diagnosis.remediations.map((r) => h('li', {}, r.title, r.action ? h('span', { class: 'muted' }, ` [${r.action}, risk ${r.risk}]`) : null)))));
    }
    parts.push(h('h2', {}, 'Actions'), actions.items.length
      ? actionTable(actions.items)
      : h('p', { class: 'muted' }, 'No actions for this incident.'));
    show(...parts);
  }

  function actionTable(items) {
    return h('table', {},
      h('thead', {}, h('tr', {}, ['Action', 'Phase', 'Target', 'Last step', 'By'].map((c) => h('th', {}, c)))),
      h('tbody', {}, items.map((a) => h('tr', { 'data-action-id': a.id },
        h('td', {}, h('a', { href: link('actions', a.id) }, `${a.action} ${a.title ? '— ' + a.title : ''}`)), h('td', {}, badge(a.phase)),
        h('td', {}, subject(a.target)), h('td', {}, time(a.updatedAt)), h('td', {}, a.actor)))));
  }

  async function decide(id, decision, reason, status, buttons) {
    buttons.forEach((b) => { b.disabled = true; });
    status.className = 'muted';
    status.textContent = `${decision}: sending…`;
    try {
      const result = await api(`actions/${encodeURIComponent(id)}/${decision}`, { method: 'POST', body: reason ? { reason } : {} });
      sessionStorage.setItem('chasi.notice', `${result.decision} requested by ${result.actor}: the executor answers with its own step in the audit trail.`);
      location.hash = link('actions', id);
    } catch (error) {
      status.className = 'error';
      status.textContent = error instanceof ApiError ? `${error.status}: ${error.message}` : String(error);
      buttons.forEach((b) => { b.disabled = !isApprover(); });
    }
  }

  const LABELS = { approve: ['Approve', 'primary'], reject: ['Reject', 'danger'], rollback: ['Roll back', 'danger'] };

  // "approve requested by user:x at …, waiting for the executor": the action keeps its phase until the executor's step.
  function waiting(action) {
    const r = action.pendingRequest;
    if (!r) return null;
    return h('p', { class: 'waiting', id: 'pending-request', role: 'status', 'data-decision': r.decision, 'data-actor': r.actor },
      `${r.decision === 'approve' ? 'Approval' : r.decision === 'reject' ? 'Rejection' : 'Rollback'} requested by ${r.actor} at ${time(r.at)}, waiting for the executor.`,
      r.reason ? ` Reason: ${r.reason}` : '');
  }

  // The buttons the API says the executor would accept now (allowedDecisions), given in the order of `offered`.
  function controlsFor(action, offered) {
    const allowed = offered.filter((d) => action.allowedDecisions.includes(d));
    return allowed.length ? decisionControls(action, allowed.map((d) => [d, ...LABELS[d]])) : null;
  }

  function decisionControls(action, decisions) {
    const reason = h('input', { type: 'text', maxlength: 1000, placeholder: 'reason (optional)', 'aria-label': 'reason', class: 'reason' });
    const status = h('span', { class: 'status', role: 'status' });
    const approver = isApprover();
    const buttons = decisions.map(([decision, label, style]) => h('button', {
      type: 'button', class: style, 'data-decision': decision, disabled: !approver,
      title: approver ? `${label} this action` : 'needs a token with the approver role',
    }, label));
    buttons.forEach((button) => button.addEventListener('click', () => decide(action.id, button.getAttribute('data-decision'), reason.value.trim(), status, buttons)));
    return h('div', { class: 'actions' }, reason, buttons, status,
      approver ? null : h('span', { class: 'muted' }, 'Read-only: this token is not an approver.'));
  }

  async function renderApprovals(mine) {
    const page = await api('actions?phase=pending_approval&limit=200');
    if (mine !== generation) return;
    const cards = page.items.map((a) => h('section', { class: 'card pending', 'data-action-id': a.id },
      h('h2', {}, `${a.action} ${subject(a.target)}`),
      h('dl', {},
        h('dt', {}, 'Action'), h('dd', {}, h('a', { href: link('actions', a.id) }, a.id)),
        h('dt', {}, 'Title'), h('dd', {}, a.title),
        h('dt', {}, 'Incident'), h('dd', {}, h('a', { href: link('incidents', a.incidentId) }, a.incidentId)),
        h('dt', {}, 'Tenant'), h('dd', {}, a.tenant || 'platform'),
        h('dt', {}, 'Risk'), h('dd', {}, a.risk),
        h('dt', {}, 'Policy'), h('dd', {}, `${a.decision} (rule ${a.policyRule || '-'})`),
        h('dt', {}, 'Reasons'), h('dd', {}, h('ul', { class: 'plain' }, a.reasons.map((r) => h('li', {}, r))))),
      h('h3', {}, 'Dry-run diff'),
      h('pre', { class: 'diff' }, a.diff || '(no diff recorded)'),
      waiting(a) || decisionControls(a, [['approve', ...LABELS.approve], ['reject', ...LABELS.reject]])));
    show(h('h1', {}, 'Pending approvals'), cards.length ? cards : h('p', { class: 'muted', id: 'no-pending' }, 'Nothing waits for approval.'));
  }

  async function renderAction(id, mine) {
    let shown = '';
    const draw = async () => {
      const detail = await api('actions/' + encodeURIComponent(id));
      const key = JSON.stringify(detail);
      if (mine !== generation || key === shown) return;
      shown = key;
      const a = detail.action;
      const notice = sessionStorage.getItem('chasi.notice');
      const parts = [
        h('h1', {}, `${a.action} ${subject(a.target)}`),
        notice ? h('p', { class: 'notice', role: 'status' }, notice) : null,
        h('div', { class: 'card', id: 'action-summary', 'data-phase': a.phase }, h('dl', {},
          h('dt', {}, 'Action'), h('dd', {}, a.id),
          h('dt', {}, 'Phase'), h('dd', { id: 'phase' }, badge(a.phase)),
          h('dt', {}, 'Incident'), h('dd', {}, h('a', { href: link('incidents', a.incidentId) }, a.incidentId)),
          h('dt', {}, 'Tenant'), h('dd', {}, a.tenant || 'platform'),
          h('dt', {}, 'Policy'), h('dd', {}, `${a.decision} (rule ${a.policyRule || '-'})`),
          h('dt', {}, 'Reversible'), h('dd', {}, a.reversible ? 'yes' : 'no'))),
      ];
      parts.push(waiting(a) || controlsFor(a, ['approve', 'reject', 'rollback']));
      // Steps are the executor's (sequence 1, 2, …); a request (sequence 0) is a person's, answered by a later step.
      parts.push(h('h2', {}, 'Audit trail'), h('table', { id: 'trail' },
        h('thead', {}, h('tr', {}, ['#', 'At', 'Phase', 'Actor', 'Reason', 'Output'].map((c) => h('th', {}, c)))),
        h('tbody', {}, detail.trail.map((s) => (s.kind === 'request'
          ? h('tr', { class: 'request', 'data-kind': 'request', 'data-phase': s.phase, 'data-actor': s.actor, 'data-pending': String(s.pending) },
            h('td', {}, 'request'), h('td', {}, time(s.at)), h('td', {}, badge(s.phase), ' requested'), h('td', {}, `requested by ${s.actor}`),
            h('td', {}, s.reason), h('td', { class: 'muted' }, s.pending ? 'waiting for the executor' : 'answered by the executor'))
          : h('tr', { 'data-kind': 'step', 'data-phase': s.phase, 'data-actor': s.actor },
            h('td', {}, String(s.sequence)), h('td', {}, time(s.at)), h('td', {}, badge(s.phase)), h('td', {}, s.actor), h('td', {}, s.reason), h('td', {}, s.output)))))));
      if (a.diff) parts.push(h('h2', {}, 'Dry-run diff'), h('pre', { class: 'diff' }, a.diff));
      show(...parts);
    };
    await draw();
    // The trail is live: requests and the executor's answers come back through Kafka, the sink and ClickHouse.
    while (mine === generation) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      if (mine !== generation) break;
      try { await draw(); } catch (error) { if (mine === generation) show(failure(error)); break; }
    }
  }

  async function route() {
    const mine = ++generation;
    const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
    for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', a.getAttribute('data-route') === parts[0]);
    if (!token()) {
      // Keep a login form that is already shown (and what was typed into it).
      if (!document.getElementById('login')) renderLogin();
      return;
    }
    try {
      if (!me) await loadMe();
      if (mine !== generation) return;
      if (parts[0] !== 'actions') sessionStorage.removeItem('chasi.notice');
      switch (parts[0]) {
        case 'incidents':
          await (parts[1] ? renderIncident(parts[1], mine) : renderIncidents(mine));
          break;
        case 'approvals':
          await renderApprovals(mine);
          break;
        case 'actions':
          if (parts[1]) {
            await renderAction(parts[1], mine);
            break;
          }
          location.hash = '#/approvals';
          break;
        default:
          location.hash = '#/incidents';
      }
    } catch (error) {
      if (mine === generation && !(error instanceof ApiError && error.status === 401)) show(failure(error));
    }
  }

  document.getElementById('logout').addEventListener('click', () => logout(''));
  window.addEventListener('hashchange', route);
  route();
})();
