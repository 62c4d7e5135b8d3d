'use strict';
/*
 * The issue tracker page: plain DOM, fetch and EventSource; no libraries, nothing loaded from elsewhere.
 *
 * Address: #/w/<workspaceId>/i/<issueId> selects a workspace and one of its issues.
 *
 * Live updates come from two Server-Sent Event streams, live queries of the library (LiveQueries): the
 * workspace's head (name, revision) and the selected issue's head (title, description, counts, revision).
 * Their revision changes with every change to the store, and then the page fetches the view it shows:
 * the workspace's issue list, for one, is read from many issue stores, which no single live query can
 * read. Every change to an issue also touches its workspace, so the list stays current too.
 */
(() => {
  const $ = (id) => document.getElementById(id);

  const state = {
    workspaceId: null,
    issueId: null,
    workspaceStream: null,
    issueStream: null,
    workspaceRevision: null,
    issueRevision: null,
    issues: new Map(), // id -> summary, from the last workspace view
    // Every fetch of a view takes a ticket; an answer is shown only if no later fetch was started,
    // so a slow answer never overwrites a newer one.
    workspaceTicket: 0,
    issueTicket: 0,
  };

  // ----- the API (relative to <base>, the application's root)

  const enc = encodeURIComponent;
  const workspacePath = () => `api/workspaces/${enc(state.workspaceId)}`;
  const issuePath = () => `${workspacePath()}/issues/${enc(state.issueId)}`;
  const issueHref = (id) => `#/w/${enc(state.workspaceId)}/i/${enc(id)}`;

  /** Calls the API; a problem answer (RFC 9457) becomes an Error with its detail. */
  async function call(method, path, body) {
    const options = { method, headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch (notJson) {
      // not JSON (a proxy's error page): the status line below says enough
    }
    if (!response.ok) {
      throw new Error(data && data.detail ? data.detail : `${response.status} ${response.statusText}`);
    }
    return data;
  }

  function showError(error) {
    $('status').textContent = error instanceof Error ? error.message : String(error);
    $('status').hidden = false;
  }

  function clearError() {
    $('status').hidden = true;
    $('status').textContent = '';
  }

  function setConnection() {
    const streams = [state.workspaceStream, state.issueStream].filter(Boolean);
    const live = streams.length > 0 && streams.every((s) => s.readyState === EventSource.OPEN);
    $('connection').textContent = streams.length === 0 ? 'offline' : live ? 'live' : 'reconnecting…';
    $('connection').classList.toggle('live', live);
  }

  function element(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text; // always text, never HTML: titles and comments are user input
    if (className) e.className = className;
    return e;
  }

  function link(text, href) {
    const a = element('a', text);
    a.href = href;
    return a;
  }

  /**
   * Opens a live query stream. onHead gets the single row of each result; a problem event (the store
   * could not be opened) is shown and ends the stream, which the browser would otherwise retry forever.
   */
  function openStream(path, onHead, onFailure) {
    const stream = new EventSource(path);
    stream.addEventListener('result', (event) => {
      const rows = JSON.parse(event.data);
      if (rows.length > 0) onHead(rows[0]);
    });
    stream.addEventListener('error', (event) => {
      if (event.data) {
        showError(JSON.parse(event.data).detail);
        stream.close();
      } else if (stream.readyState === EventSource.CLOSED) {
        onFailure(); // refused outright (404, 400): a fetch of the view shows why
      }
      setConnection();
    });
    stream.addEventListener('open', setConnection);
    return stream;
  }

  // ----- home: all workspaces

  async function loadWorkspaces() {
    try {
      const workspaces = await call('GET', 'api/workspaces');
      const list = $('workspaces');
      list.replaceChildren(...workspaces.map((w) => {
        const li = element('li');
        li.append(link(w.name, `#/w/${enc(w.id)}`), element('span', ` · ${w.issueCount} issues`, 'meta'));
        return li;
      }));
      if (workspaces.length === 0) list.append(element('li', 'No workspace yet.', 'meta'));
    } catch (error) {
      showError(error);
    }
  }

  // ----- the workspace

  function openWorkspace(workspaceId) {
    if (state.workspaceStream) state.workspaceStream.close();
    state.workspaceStream = null;
    state.workspaceId = workspaceId;
    state.workspaceRevision = null;
    state.issues = new Map();
    $('workspace-name').textContent = '';
    $('issues').replaceChildren();
    $('home-panel').hidden = workspaceId !== null;
    $('workspace-panel').hidden = workspaceId === null;
    if (workspaceId === null) {
      document.title = 'Issue tracker';
      loadWorkspaces();
    } else {
      state.workspaceStream = openStream(`${workspacePath()}/live`, (head) => {
        $('workspace-name').textContent = head.name;
        document.title = `${head.name} · Issue tracker`;
        if (head.revision !== state.workspaceRevision) {
          state.workspaceRevision = head.revision;
          loadWorkspace();
        }
      }, loadWorkspace);
    }
    setConnection();
  }

  async function loadWorkspace() {
    const ticket = ++state.workspaceTicket;
    try {
      const workspace = await call('GET', workspacePath());
      if (ticket !== state.workspaceTicket) return;
      state.issues = new Map(workspace.issues.map((issue) => [issue.id, issue]));
      renderIssueTree(workspace.issues);
      renderParent();
    } catch (error) {
      if (ticket === state.workspaceTicket) showError(error);
    }
  }

  /** The issues as a tree: top-level issues, each with its children below it. */
  function renderIssueTree(issues) {
    const children = new Map();
    for (const issue of issues) {
      const parent = issue.parentId && state.issues.has(issue.parentId) ? issue.parentId : null;
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(issue);
    }
    const branch = (parentId) => (children.get(parentId) || []).map((issue) => {
      const li = element('li');
      li.dataset.issueId = issue.id;
      li.classList.toggle('selected', issue.id === state.issueId);
      li.append(link(issue.title, issueHref(issue.id)),
        element('span', ` · ${issue.commentCount} ${issue.commentCount === 1 ? 'comment' : 'comments'}`, 'meta'));
      const below = branch(issue.id);
      if (below.length > 0) {
        const ul = element('ul');
        ul.append(...below);
        li.append(ul);
      }
      return li;
    });
    const tree = branch(null);
    $('issues').replaceChildren(...tree);
    if (tree.length === 0) $('issues').append(element('li', 'No issue yet.', 'meta'));
  }

  // ----- the selected issue

  function openIssue(issueId) {
    if (state.issueStream) state.issueStream.close();
    state.issueStream = null;
    state.issueId = issueId;
    state.issueRevision = null;
    for (const id of ['issue-title', 'issue-description', 'issue-parent']) $(id).textContent = '';
    $('comments').replaceChildren();
    $('children').replaceChildren();
    $('issue-panel').hidden = issueId === null;
    for (const li of document.querySelectorAll('#issues li')) {
      li.classList.toggle('selected', li.dataset.issueId === issueId);
    }
    if (issueId !== null) {
      state.issueStream = openStream(`${issuePath()}/live`, (head) => {
        $('issue-title').textContent = head.title;
        $('issue-description').textContent = head.description;
        const listed = document.querySelector(`#issues li[data-issue-id="${CSS.escape(head.id)}"] > a`);
        if (listed) listed.textContent = head.title;
        if (head.revision !== state.issueRevision) {
          state.issueRevision = head.revision;
          loadIssue();
        }
      }, loadIssue);
    }
    setConnection();
  }

  async function loadIssue() {
    const ticket = ++state.issueTicket;
    try {
      const issue = await call('GET', issuePath());
      if (ticket !== state.issueTicket) return;
      $('issue-parent').dataset.parentId = issue.parentId || '';
      renderParent();
      $('comments').replaceChildren(...issue.comments.map((comment) => {
        const li = element('li');
        li.dataset.seq = comment.seq;
        li.append(element('strong', comment.author),
          element('span', ` · ${new Date(comment.createdAt).toLocaleString()}`, 'meta'),
          element('p', comment.text));
        return li;
      }));
      $('children').replaceChildren(...issue.children.map((child) => {
        const li = element('li');
        li.dataset.issueId = child.id;
        li.append(link(child.title, issueHref(child.id)));
        return li;
      }));
    } catch (error) {
      if (ticket === state.issueTicket) showError(error);
    }
  }

  /** "Child of <parent>", with the parent's title once the workspace's list is known. */
  function renderParent() {
    const parentId = $('issue-parent').dataset.parentId;
    $('issue-parent').replaceChildren();
    if (!parentId) return;
    const parent = state.issues.get(parentId);
    $('issue-parent').append('Child of ', link(parent ? parent.title : parentId, issueHref(parentId)));
  }

  // ----- forms: each sends one request; what it changed comes back through the live streams

  function onSubmit(formId, send) {
    const form = $(formId);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const button = form.querySelector('button');
      button.disabled = true;
      try {
        await send(Object.fromEntries(new FormData(form)), form);
        clearError();
      } catch (error) {
        showError(error);
      } finally {
        button.disabled = false;
      }
    });
  }

  onSubmit('workspace-form', async ({ name }, form) => {
    const workspace = await call('POST', 'api/workspaces', { name });
    form.reset();
    location.hash = `#/w/${enc(workspace.id)}`;
  });
  onSubmit('rename-workspace-form', async ({ name }, form) => {
    await call('PUT', `${workspacePath()}/name`, { name });
    form.reset();
  });
  onSubmit('issue-form', async ({ title, description }, form) => {
    await call('POST', `${workspacePath()}/issues`, { title, description });
    form.reset();
  });
  onSubmit('rename-issue-form', async ({ title }, form) => {
    await call('PUT', `${issuePath()}/title`, { title });
    form.reset();
  });
  onSubmit('comment-form', async ({ author, text }, form) => {
    await call('POST', `${issuePath()}/comments`, { author, text });
    form.elements.text.value = ''; // keep the author for the next comment
  });
  onSubmit('child-form', async ({ title }, form) => {
    await call('POST', `${workspacePath()}/issues`, { title, parentId: state.issueId });
    form.reset();
  });

  // ----- routing

  function route() {
    const match = /^#\/w\/([^/]+)(?:\/i\/([^/]+))?$/.exec(location.hash);
    const workspaceId = match ? decodeURIComponent(match[1]) : null;
    const issueId = match && match[2] ? decodeURIComponent(match[2]) : null;
    const workspaceChanged = workspaceId !== state.workspaceId;
    clearError();
    if (workspaceChanged) openWorkspace(workspaceId);
    if (workspaceChanged || issueId !== state.issueId) openIssue(workspaceId === null ? null : issueId);
  }

  window.addEventListener('hashchange', route);
  route();
})();
