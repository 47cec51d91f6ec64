'use strict';
// The review report's script. Without it the page is a complete read-only report; with it:
// sortable overview columns, per-document filters, tooltips kept on screen, and, when the
// page carries its review data (<script type="application/json" id="transmend-review">),
// the review: accept, reject or edit each flag, a live preview of the corrected text,
// corrected-text downloads and `decisions.json` export (see docs/review.md). A report in
// pages (<main data-pages>) holds a placeholder per document; the document's section and
// review data are in a script file beside the page (<section data-page="report/000003.js">),
// loaded when the reader opens it (a <script src> works on file://, where fetch() does not).
// Document text is only ever put into the page as text (textContent, text nodes): never
// parsed as HTML.
(function () {

  // ---------------------------------------------------------------------------------------
  // The read-only report: sorting, filters, tooltips.
  // ---------------------------------------------------------------------------------------

  /** Makes each overview column heading button sort its table by that column. */
  function setupSorting() {
    document.querySelectorAll('table.sortable th button').forEach(function (b) {
      b.addEventListener('click', function () {
        const th = b.parentNode;
        const table = th.closest('table');
        const col = Array.prototype.indexOf.call(th.parentNode.children, th);
        const body = table.tBodies[0];
        const rows = Array.prototype.slice.call(body.rows);
        const asc = th.getAttribute('aria-sort') !== 'ascending';
        rows.sort(function (x, y) {
          const a = x.cells[col].textContent;
          const c = y.cells[col].textContent;
          const na = parseFloat(a);
          const nc = parseFloat(c);
          const d = (!isNaN(na) && !isNaN(nc)) ? na - nc : a.localeCompare(c);
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      });
    });
  }

  /** Shows each document's filters and hides rows and marks when their boxes are unchecked. */
  function setupFilters() {
    document.querySelectorAll('section.document').forEach(setupSectionFilters);
  }

  /** Shows one document's filters. */
  function setupSectionFilters(section) {
    const f = section.querySelector('fieldset.filters');
    if (!f) return;
    f.classList.remove('hidden');
    f.addEventListener('change', function () { applyFilters(section); });
  }

  // ---------------------------------------------------------------------------------------
  // A report in pages: documents loaded when opened.
  // ---------------------------------------------------------------------------------------

  /** The page's <main> when the report is in pages, else null. */
  const pagesMain = document.querySelector('main[data-pages]');
  /** Loads under way or done, by document index: promises of the section. */
  const pageLoads = new Map();
  /** Called with (index, review data, section) when a document's page comes with review data. */
  let onPageLoaded = null;

  /** Whether document `index` is a placeholder still to load. */
  function isPending(index) {
    const s = document.getElementById('doc-' + index);
    return !!(s && s.classList.contains('pending') && s.hasAttribute('data-page'));
  }

  /** Takes the page of document `index` from what the page scripts handed over. */
  function takePage(index) {
    const got = window.transmendPages;
    if (!Array.isArray(got)) return null;
    const run = pagesMain ? pagesMain.getAttribute('data-run') : null;
    for (let i = 0; i < got.length; i++) {
      const p = got[i];
      if (p && p.index === index) {
        got.splice(i, 1);
        return p.run === run && typeof p.html === 'string' ? p : null;
      }
    }
    return null;
  }

  /** Loads document `index`'s section (once) and puts it in place of its placeholder. */
  function loadSection(index) {
    const placeholder = document.getElementById('doc-' + index);
    if (!placeholder) return Promise.reject(new Error('no document ' + index));
    if (!isPending(index)) return Promise.resolve(placeholder);
    if (pageLoads.has(index)) return pageLoads.get(index);
    const src = placeholder.getAttribute('data-page');
    const status = placeholder.querySelector('p');
    const loading = new Promise(function (resolve, reject) {
      const fail = function (why) {
        if (status) status.appendChild(el('span', { class: 'load-error', role: 'alert' }, [' ' + why]));
        reject(new Error(why));
      };
      const script = document.createElement('script');
      script.src = src;
      script.onload = function () {
        script.remove();
        const page = takePage(index);
        if (!page) {
          fail('The file ' + src + ' is not a page of this report (another run wrote it): run transmend again or open the report it belongs to.');
          return;
        }
        const template = document.createElement('template');
        template.innerHTML = page.html;
        const section = template.content.querySelector('section.document');
        if (!section) {
          fail('The file ' + src + ' holds no document.');
          return;
        }
        placeholder.replaceWith(section);
        setupSectionFilters(section);
        if (page.review && onPageLoaded) onPageLoaded(index, page.review, section);
        resolve(section);
      };
      script.onerror = function () {
        script.remove();
        fail('Could not load ' + src + ': keep the ' + (pagesMain.getAttribute('data-pages') || 'report') + ' folder beside this page.');
      };
      document.head.appendChild(script);
    });
    pageLoads.set(index, loading);
    loading.catch(function () { pageLoads.delete(index); });
    return loading;
  }

  /** Loads document `index` and brings it into view. */
  function openDocument(index) {
    return loadSection(index).then(function (section) {
      section.scrollIntoView({ block: 'start' });
      return section;
    });
  }

  /** The document a location hash (#doc-N) names, or null. */
  function hashDocument() {
    const m = /^#doc-(\d+)$/.exec(window.location.hash);
    return m ? Number(m[1]) : null;
  }

  /** Show buttons, overview links and #doc-N addresses load the document they name. */
  function setupPages() {
    if (!pagesMain) return;
    document.querySelectorAll('section.pending button.show-doc').forEach(function (b) {
      b.classList.remove('hidden');
    });
    document.addEventListener('click', function (e) {
      const t = e.target;
      if (!t.closest) return;
      const show = t.closest('section.pending button.show-doc');
      const link = !show && t.closest('a[href^="#doc-"]');
      const section = show ? show.closest('section') : null;
      const index = section ? Number(section.getAttribute('data-doc'))
        : link ? Number(link.getAttribute('href').slice(5)) : NaN;
      if (!(index >= 0) || !isPending(index)) return;
      e.preventDefault();
      openDocument(index).then(function () {
        if (window.location.hash !== '#doc-' + index) window.history.pushState(null, '', '#doc-' + index);
      }, function () {});
    });
    const open = function () {
      const index = hashDocument();
      if (index !== null && isPending(index)) openDocument(index).catch(function () {});
    };
    window.addEventListener('hashchange', open);
    open();
  }

  /** Hides the section's flag rows and marks whose severity, rule or decision is unchecked. */
  function applyFilters(section) {
    const f = section && section.querySelector('fieldset.filters');
    if (!f) return;
    const off = new Set();
    const decisionsOff = new Set();
    f.querySelectorAll('input[type=checkbox]').forEach(function (i) {
      if (i.checked) return;
      (i.getAttribute('data-filter') === 'decision' ? decisionsOff : off).add(i.value);
    });
    section.querySelectorAll('[data-rule]').forEach(function (el) {
      const hide = off.has(el.getAttribute('data-rule')) ||
        off.has(el.getAttribute('data-severity')) ||
        decisionsOff.has(el.getAttribute('data-decision'));
      el.classList.toggle(el.tagName === 'MARK' ? 'off' : 'hidden', hide);
    });
  }

  /** Moves a hovered or focused mark's tooltip left so that it stays inside the window. */
  function keepTipInside(e) {
    const mark = e.target.closest && e.target.closest('mark');
    const tip = mark && mark.querySelector('.tip');
    if (!tip || getComputedStyle(tip).position === 'fixed') return;
    tip.style.left = '';
    const box = tip.getBoundingClientRect();
    const room = document.documentElement.clientWidth - 8;
    if (box.right > room) tip.style.left = -Math.min(box.right - room, Math.max(0, box.left - 8)) + 'px';
  }

  // ---------------------------------------------------------------------------------------
  // The review: state.
  // ---------------------------------------------------------------------------------------

  const SCOPES = [
    ['occurrence', 'this occurrence'],
    ['document', 'this document'],
    ['everywhere', 'everywhere'],
  ];
  const DECISION_FILTERS = ['undecided', 'accepted', 'rejected', 'edited'];
  const KIND = { accept: 'accepted', reject: 'rejected', edit: 'edited' };

  /** The parsed review data, or null when the page has none. */
  let data = null;
  /** One entry per document of the data: see makeDoc. */
  let docs = [];
  /** The documents by their index (the N of #doc-N). */
  const docsByIndex = new Map();
  /** Every flag row of the page, in document order. */
  let allRows = [];
  /** Decisions made on this page, most recent last: {doc, k, before}. */
  const undoStack = [];
  /** window.localStorage when it works, else null (decisions then live in this page only). */
  let storage = null;
  let storageKey = '';
  /** Whether the single-key shortcuts are on. */
  let shortcutsOn = true;
  /** Each highlight's own label, which its decision is added to. */
  const markLabels = new Map();
  /** The bar's controls. */
  const bar = {};

  /** Creates an element with attributes and children (strings become text nodes). */
  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        const v = attrs[name];
        if (v === null || v === undefined || v === false) return;
        if (name === 'class') e.className = v;
        else e.setAttribute(name, v === true ? '' : String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }

  /** "1 flag" / "3 flags". */
  function count(n, one, many) {
    return n + ' ' + (n === 1 ? one : many);
  }

  /** Reads the page's review data; null when it is missing or unreadable. */
  function readData() {
    const node = document.getElementById('transmend-review');
    if (!node) return null;
    try {
      const d = JSON.parse(node.textContent);
      if (d && typeof d === 'object' && Array.isArray(d.documents)) return d;
    } catch (e) {
      // Unreadable data: the page stays a read-only report.
    }
    return null;
  }

  /** Whether a flag is a deprecated form with a guard to offer when it is rejected. */
  function guardable(flag) {
    return flag.rule === 'deprecated-term' && typeof flag.guard === 'string';
  }

  /** A decision as the page keeps it, from embedded or stored data; null when unusable. */
  function normalise(flag, raw) {
    if (!raw || typeof raw !== 'object') return null;
    if (raw.action === 'accept') {
      const d = { action: 'accept' };
      const r = typeof raw.replacement === 'string' ? raw.replacement : flag.suggestion;
      if (typeof r === 'string') d.replacement = r;
      return d;
    }
    if (raw.action === 'reject') {
      const scope = SCOPES.some(function (s) { return s[0] === raw.scope; }) ? raw.scope : 'occurrence';
      const d = { action: 'reject', scope: scope };
      if (guardable(flag)) d.guard = typeof raw.guard === 'string' ? raw.guard : flag.guard;
      return d;
    }
    if (raw.action === 'edit' && typeof raw.replacement === 'string') {
      return { action: 'edit', replacement: raw.replacement };
    }
    return null;
  }

  /** The text a decision puts in place of the flagged text, or null when it changes nothing. */
  function replacementOf(dec) {
    if (!dec || dec.action === 'reject') return null;
    return typeof dec.replacement === 'string' ? dec.replacement : null;
  }

  /** Whether two UTF-16 spans touch the same text, so that both changes cannot apply. */
  function spansOverlap(a, b) {
    const aEmpty = a[0] === a[1];
    const bEmpty = b[0] === b[1];
    if (aEmpty && bEmpty) return a[0] === b[0];
    if (aEmpty) return b[0] < a[0] && a[0] < b[1];
    if (bEmpty) return a[0] < b[0] && b[0] < a[1];
    return a[0] < b[1] && b[0] < a[1];
  }

  /** The decision on flag k of a document, or undefined. */
  function decisionOf(doc, k) {
    return doc.decisions.get(doc.flags[k].fingerprint);
  }

  /** The flag whose applied change overlaps flag k's span, or -1. */
  function conflictFor(doc, k) {
    const at = doc.flags[k].at;
    for (let j = 0; j < doc.flags.length; j++) {
      if (j === k) continue;
      if (replacementOf(decisionOf(doc, j)) === null) continue;
      if (spansOverlap(at, doc.flags[j].at)) return j;
    }
    return -1;
  }

  /** The 1-based line of the document's text where flag k starts (as the table shows it). */
  function lineOf(doc, k) {
    const text = doc.data.text || '';
    const at = Math.min(doc.flags[k].at[0], text.length);
    let line = 1;
    for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
    return line;
  }

  /** A document of the data with its place in the page and its decisions. */
  function makeDoc(d, position) {
    const index = typeof d.index === 'number' ? d.index : position;
    const section = document.getElementById('doc-' + index);
    // In a report in pages a document is a stub until its page is loaded.
    const loaded = Array.isArray(d.flags);
    return {
      data: d,
      index: index,
      lang: d.lang || 'und',
      loaded: loaded,
      flagCount: loaded ? d.flags.length : Math.max(0, Number(d.flag_count) || 0),
      flags: loaded ? d.flags : [],
      section: loaded && section && section.matches('section.document') ? section : null,
      panel: null,
      rows: [],
      marks: [],
      decisions: new Map(),
      embedded: d.decisions && typeof d.decisions === 'object' ? d.decisions : {},
      stored: {},
      ui: {},
    };
  }

  /** How many flags of a document not yet loaded have a decision (embedded or stored). */
  function pendingDecided(doc) {
    const all = Object.assign({}, doc.embedded, doc.stored);
    const n = Object.keys(all).filter(function (fp) { return all[fp] && typeof all[fp] === 'object'; }).length;
    return Math.min(n, doc.flagCount);
  }

  /** Sets a loaded document's decisions: the embedded ones, overlaid with the stored ones. */
  function takeDecisions(doc) {
    const mine = doc.stored;
    doc.flags.forEach(function (flag, k) {
      const fp = flag.fingerprint;
      let raw = doc.embedded[fp];
      if (Object.prototype.hasOwnProperty.call(mine, fp)) raw = mine[fp];
      const dec = normalise(flag, raw);
      if (!dec) return;
      // Two overlapping changes cannot both apply: the first in flag order wins.
      if (replacementOf(dec) !== null && conflictFor(doc, k) >= 0) return;
      doc.decisions.set(fp, dec);
    });
  }

  /** Sets the starting decisions: the embedded ones, overlaid with the browser's stored ones. */
  function loadDecisions() {
    let raw = null;
    try {
      storage = window.localStorage;
      raw = storage.getItem(storageKey);
      if (!storageWorks()) storage = null;
    } catch (e) {
      storage = null;
    }
    let stored = null;
    try {
      stored = raw ? JSON.parse(raw) : null;
    } catch (e) {
      // Unreadable stored decisions: the embedded ones stand.
    }
    const storedDocs = stored && typeof stored === 'object' && stored.documents && typeof stored.documents === 'object'
      ? stored.documents : {};
    docs.forEach(function (doc) {
      doc.stored = storedDocs[doc.data.path] && typeof storedDocs[doc.data.path] === 'object'
        ? storedDocs[doc.data.path] : {};
      if (doc.loaded) takeDecisions(doc);
    });
  }

  /** Whether the storage accepts writes. */
  function storageWorks() {
    try {
      storage.setItem(storageKey + ':probe', '1');
      storage.removeItem(storageKey + ':probe');
      return true;
    } catch (e) {
      return false;
    }
  }

  /** Saves every document's decisions in the browser (an undone embedded decision as null). */
  function save() {
    if (!storage) return;
    const out = { version: 1, documents: {} };
    docs.forEach(function (doc) {
      if (!doc.loaded) {
        // Not opened: its stored decisions stay as they were.
        if (Object.keys(doc.stored).length > 0) out.documents[doc.data.path] = doc.stored;
        return;
      }
      const mine = {};
      doc.flags.forEach(function (flag) {
        const fp = flag.fingerprint;
        const dec = doc.decisions.get(fp);
        if (dec) mine[fp] = dec;
        else if (Object.prototype.hasOwnProperty.call(doc.embedded, fp)) mine[fp] = null;
      });
      out.documents[doc.data.path] = mine;
    });
    try {
      storage.setItem(storageKey, JSON.stringify(out));
    } catch (e) {
      storage = null;
      showStorageNote();
    }
  }

  /** Says in the bar that decisions are not kept by the browser. */
  function showStorageNote() {
    if (bar.storageNote) {
      bar.storageNote.textContent = 'Your browser does not let this page keep decisions: they last until the page is closed. Export them before closing.';
    }
  }

  // ---------------------------------------------------------------------------------------
  // The review: building the controls.
  // ---------------------------------------------------------------------------------------

  /** Fills the review bar: progress, Export decisions, Undo, the shortcuts switch. */
  function buildBar() {
    let node = document.getElementById('review-bar');
    const header = document.querySelector('header');
    if (!node) {
      node = el('div', { id: 'review-bar', class: 'review-bar' });
      if (header) header.appendChild(node);
      else document.body.insertBefore(node, document.body.firstChild);
    }
    bar.shortcuts = el('input', { type: 'checkbox', checked: true });
    const help = el('p', { class: 'muted keys-help' }, [
      'Review each flag: Accept, Reject or Edit. Keys: j / k next / previous flag, a accept, r reject, e edit, u undo. ',
      el('label', { class: 'shortcuts' }, [bar.shortcuts, ' Single-key shortcuts']),
    ]);
    if (header && header.contains(node)) {
      // The bar sticks to the top of the window: it needs the body, not the header, as parent.
      header.appendChild(help);
      header.parentNode.insertBefore(node, header.nextSibling);
    } else {
      node.parentNode.insertBefore(help, node);
    }
    node.setAttribute('role', 'region');
    node.setAttribute('aria-label', 'Review');
    bar.node = node;
    bar.progress = el('p', { class: 'progress', 'aria-live': 'polite' });
    bar.exportButton = el('button', { type: 'button', class: 'export' }, ['Export decisions']);
    bar.undo = el('button', { type: 'button', class: 'undo', disabled: true }, ['Undo']);
    bar.storageNote = el('p', { class: 'storage-note' });
    bar.status = el('p', { class: 'bar-note', role: 'status' });
    node.replaceChildren(
      bar.progress,
      el('span', { class: 'bar-buttons' }, [bar.exportButton, bar.undo]),
      bar.status,
      bar.storageNote
    );
    bar.exportButton.addEventListener('click', exportDecisions);
    bar.undo.addEventListener('click', undo);
    bar.shortcuts.addEventListener('change', function () { shortcutsOn = bar.shortcuts.checked; });
    if (!storage) showStorageNote();
    // Rows scrolled to keep clear of the sticky bar: its height as a CSS variable.
    const measure = function () {
      document.documentElement.style.setProperty('--review-bar-h', node.offsetHeight + 'px');
    };
    measure();
    if (window.ResizeObserver) new ResizeObserver(measure).observe(node);
    else window.addEventListener('resize', measure);
  }

  /** Adds the Decision filter group to a document's filters. */
  function buildDecisionFilter(doc) {
    const f = doc.section.querySelector('fieldset.filters');
    if (!f) return;
    const group = el('fieldset', { class: 'decision-filter' }, [el('legend', null, ['Decision'])]);
    DECISION_FILTERS.forEach(function (v) {
      group.appendChild(el('label', null, [
        el('input', { type: 'checkbox', value: v, 'data-filter': 'decision', checked: true }),
        ' ' + v,
      ]));
    });
    f.appendChild(group);
  }

  /** Builds a document's panel: progress, download, note, and the corrected-text preview. */
  function buildPanel(doc) {
    let panel = doc.section.querySelector('div.review[data-doc]') || doc.section.querySelector('div.review');
    if (!panel) {
      // Older pages: the panel goes where the filters end, or before the text.
      panel = el('div', { class: 'review', 'data-doc': doc.index });
      const anchor = doc.section.querySelector('fieldset.filters') || doc.section.querySelector('p.muted');
      if (anchor) anchor.parentNode.insertBefore(panel, anchor.nextSibling);
      else doc.section.appendChild(panel);
    }
    doc.panel = panel;
    const id = 'doc-' + doc.index + '-preview';
    const ui = doc.ui;
    ui.progress = el('p', { class: 'progress' });
    ui.download = el('button', { type: 'button', class: 'download' }, ['Download corrected text']);
    ui.note = el('p', { class: 'download-note' });
    ui.toggle = el('button', { type: 'button', class: 'toggle-preview', 'aria-controls': id }, ['Show clean text']);
    ui.preview = el('div', {
      class: 'preview', id: id, lang: doc.lang, tabindex: '0', role: 'region', 'aria-labelledby': id + '-h',
    });
    panel.replaceChildren(
      ui.progress,
      el('div', { class: 'panel-buttons' }, [ui.download]),
      ui.note,
      el('div', { class: 'preview-head' }, [
        el('h3', { id: id + '-h' }, ['Corrected text (preview)']),
        ui.toggle,
      ]),
      ui.preview
    );
    ui.download.addEventListener('click', function () { downloadCorrected(doc); });
    ui.toggle.addEventListener('click', function () {
      const clean = !ui.preview.classList.contains('clean');
      ui.preview.classList.toggle('clean', clean);
      ui.toggle.textContent = clean ? 'Show changes' : 'Show clean text';
    });
  }

  /** Adds the Decision column to a document's flags table and its controls to each row. */
  function buildRows(doc) {
    const table = doc.section.querySelector('table.flags');
    if (!table) return;
    const head = table.tHead && table.tHead.rows[0];
    if (head) head.appendChild(el('th', { scope: 'col' }, ['Decision']));
    table.querySelectorAll('tr[data-flag]').forEach(function (row) {
      const k = Number(row.getAttribute('data-flag'));
      if (!(k >= 0 && k < doc.flags.length)) return;
      doc.rows[k] = row;
      row.tabIndex = -1;
      const textCell = row.querySelector('td[data-label="Text"]') || row.cells[3];
      const textId = 'doc-' + doc.index + '-flag-' + k + '-text';
      if (textCell) textCell.id = textId;
      const select = el('select', { class: 'scope', 'aria-describedby': textId });
      SCOPES.forEach(function (s) { select.appendChild(el('option', { value: s[0] }, [s[1]])); });
      select.value = 'occurrence';
      const cell = el('td', { class: 'decision', 'data-label': 'Decision' }, [
        el('span', { class: 'status' }, ['Undecided']),
        el('span', { class: 'buttons' }, [
          el('button', { type: 'button', class: 'accept', 'aria-describedby': textId }, ['Accept']),
          el('button', { type: 'button', class: 'reject', 'aria-describedby': textId }, ['Reject']),
          el('button', { type: 'button', class: 'edit', 'aria-describedby': textId }, ['Edit']),
        ]),
        el('label', { class: 'scope' }, ['Reject for ', select]),
      ]);
      row.appendChild(cell);
      select.addEventListener('change', function () { changeScope(doc, k, select.value); });
    });
    allRows = [];
    docs.forEach(function (d) { d.rows.forEach(function (r) { if (r) allRows.push(r); }); });
    doc.section.querySelectorAll('mark[data-flag]').forEach(function (m) {
      const k = Number(m.getAttribute('data-flag'));
      if (!(k >= 0 && k < doc.flags.length)) return;
      doc.marks[k] = m;
      markLabels.set(m, m.getAttribute('aria-label') || '');
    });
  }

  // ---------------------------------------------------------------------------------------
  // The review: showing decisions.
  // ---------------------------------------------------------------------------------------

  /** The row's status, as words: "Accepted → 工党", "Rejected (this document)", … */
  function statusNodes(doc, dec) {
    const said = function (r) {
      return r === '' ? '(delete)' : el('span', { lang: doc.lang, class: 'replacement' }, [r]);
    };
    if (!dec) return ['Undecided'];
    if (dec.action === 'accept') {
      return typeof dec.replacement === 'string' ? ['Accepted → ', said(dec.replacement)] : ['Accepted (no change)'];
    }
    if (dec.action === 'reject') {
      const scope = SCOPES.find(function (s) { return s[0] === dec.scope; }) || SCOPES[0];
      return ['Rejected (' + scope[1] + ')'];
    }
    return ['Edited → ', said(dec.replacement)];
  }

  /** The status as plain text, for a mark's label. */
  function statusText(doc, dec) {
    return statusNodes(doc, dec).map(function (n) { return typeof n === 'string' ? n : n.textContent; }).join('');
  }

  /** Shows flag k's decision on its row and its mark: status, classes, scope, guard offer. */
  function showDecision(doc, k) {
    const dec = decisionOf(doc, k);
    const kind = dec ? KIND[dec.action] : 'undecided';
    [doc.rows[k], doc.marks[k]].forEach(function (node) {
      if (!node) return;
      node.classList.toggle('dec-accept', !!dec && dec.action === 'accept');
      node.classList.toggle('dec-reject', !!dec && dec.action === 'reject');
      node.classList.toggle('dec-edit', !!dec && dec.action === 'edit');
      node.classList.toggle('applies', replacementOf(dec) !== null);
      node.setAttribute('data-decision', kind);
    });
    const mark = doc.marks[k];
    if (mark) {
      const label = markLabels.get(mark) || '';
      mark.setAttribute('aria-label', dec ? label + ' Decision: ' + statusText(doc, dec) + '.' : label);
    }
    const row = doc.rows[k];
    if (!row) return;
    const cell = row.querySelector('td.decision');
    cell.querySelector('.status').replaceChildren.apply(cell.querySelector('.status'), statusNodes(doc, dec));
    const select = cell.querySelector('select.scope');
    if (dec && dec.action === 'reject') select.value = dec.scope;
    showGuard(doc, k, cell, dec);
  }

  /** Shows, for a rejected deprecated form with a guard, the offer to add a glossary guard. */
  function showGuard(doc, k, cell, dec) {
    const flag = doc.flags[k];
    let box = cell.querySelector('.guard');
    if (!(dec && dec.action === 'reject' && guardable(flag))) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      const input = el('input', { type: 'text', class: 'guard-form', lang: doc.lang, spellcheck: 'false' });
      const code = el('code', { class: 'guard-csv' });
      box = el('div', { class: 'guard' }, [
        el('p', null, ['If this form is right here because it is part of a longer word, add a guard entry to your glossary:']),
        el('label', null, ['Guard form ', input]),
        code,
      ]);
      cell.appendChild(box);
      input.addEventListener('input', function () {
        const current = decisionOf(doc, k);
        if (current && current.action === 'reject') {
          current.guard = input.value;
          save();
        }
        code.textContent = guardLine(doc, flag, input.value);
      });
    }
    const input = box.querySelector('input');
    const value = typeof dec.guard === 'string' ? dec.guard : flag.guard;
    if (input.value !== value) input.value = value;
    box.querySelector('code').textContent = guardLine(doc, flag, value);
  }

  /** Quotes a CSV field when it needs it (always when `always`). */
  function csvField(s, always) {
    if (!always && !/[",\r\n]/.test(s)) return s;
    return '"' + s.replace(/"/g, '""') + '"';
  }

  /** The glossary lines (header and entry) that guard `form` for a rejected flag. */
  function guardLine(doc, flag, form) {
    return 'id,kind,' + doc.lang + ',note\n' +
      'guard-' + flag.fingerprint.slice(0, 8) + ',term,' + csvField(form, false) + ',' +
      csvField('Guard: contains ' + flag.text + ', which is right here (review)', true);
  }

  /** Updates a document's progress, preview and download note. */
  function showDocument(doc) {
    const ui = doc.ui;
    if (!ui.progress) return;
    const n = doc.flags.length;
    const decided = doc.flags.filter(function (f) { return doc.decisions.has(f.fingerprint); }).length;
    ui.progress.textContent = n === 0 ? 'No flags in this document.' : decided + ' of ' + count(n, 'flag', 'flags') + ' decided';
    renderPreview(doc);
    ui.note.textContent = downloadPlan(doc).note || '';
  }

  /** The corpus progress in the bar, and whether Undo can do anything. */
  function showProgress() {
    let total = 0;
    let decided = 0;
    docs.forEach(function (doc) {
      if (!doc.loaded) {
        total += doc.flagCount;
        decided += pendingDecided(doc);
        return;
      }
      total += doc.flags.length;
      doc.flags.forEach(function (f) { if (doc.decisions.has(f.fingerprint)) decided++; });
    });
    let text = decided + ' of ' + count(total, 'flag', 'flags') + ' decided';
    if (total > 0 && decided === total) text += ': all flags are decided.';
    else if (total > 0 && !allRows.some(function (r) { return visible(r) && isUndecided(r); })) {
      const unopened = docs.some(function (d) { return !d.loaded && pendingDecided(d) < d.flagCount; });
      text += unopened ? '; the undecided ones are in documents not opened yet.'
        : '; the undecided ones are hidden by the filters.';
    }
    if (bar.progress.textContent !== text) bar.progress.textContent = text;
    bar.undo.disabled = undoStack.length === 0;
  }

  /** The document's accepted and edited changes, in text order. */
  function appliedChanges(doc) {
    const out = [];
    doc.flags.forEach(function (flag, k) {
      const r = replacementOf(decisionOf(doc, k));
      if (r !== null) out.push({ k: k, flag: flag, at: flag.at, src: flag.src || null, replacement: r });
    });
    out.sort(function (a, b) { return a.at[0] - b.at[0] || a.at[1] - b.at[1]; });
    return out;
  }

  /** Redraws the preview: the text with each applied change as <del>old</del><ins>new</ins>. */
  function renderPreview(doc) {
    const text = typeof doc.data.text === 'string' ? doc.data.text : '';
    const frag = document.createDocumentFragment();
    let pos = 0;
    appliedChanges(doc).forEach(function (c) {
      const start = Math.max(pos, Math.min(c.at[0], text.length));
      const end = Math.max(start, Math.min(c.at[1], text.length));
      frag.appendChild(document.createTextNode(text.slice(pos, start)));
      if (end > start) frag.appendChild(el('del', { 'data-flag': c.k }, [text.slice(start, end)]));
      if (c.replacement !== '') frag.appendChild(el('ins', { 'data-flag': c.k }, [c.replacement]));
      pos = end;
    });
    frag.appendChild(document.createTextNode(text.slice(pos)));
    doc.ui.preview.replaceChildren(frag);
  }

  /** Everything that shows flag k's decision, its document and the corpus, after a change. */
  function refresh(doc, k) {
    showDecision(doc, k);
    showDocument(doc);
    applyFilters(doc.section);
    showProgress();
  }

  // ---------------------------------------------------------------------------------------
  // The review: deciding.
  // ---------------------------------------------------------------------------------------

  /** Records a decision (or its absence) for flag k, remembering the one before for Undo. */
  function setDecision(doc, k, dec, remember) {
    const fp = doc.flags[k].fingerprint;
    const before = doc.decisions.get(fp);
    if (remember) {
      if (JSON.stringify(before || null) === JSON.stringify(dec || null)) return;
      undoStack.push({ doc: doc, k: k, before: before ? Object.assign({}, before) : undefined });
    }
    if (dec) doc.decisions.set(fp, dec);
    else doc.decisions.delete(fp);
    save();
    refresh(doc, k);
  }

  /** Removes the row's overlap message. */
  function clearMessage(row) {
    const msg = row && row.querySelector('td.decision .msg');
    if (msg) msg.remove();
  }

  /** Says in the row that its change overlaps flag `other`'s, which must be undone first. */
  function showOverlap(doc, k, other) {
    const row = doc.rows[k];
    if (!row) return;
    clearMessage(row);
    row.querySelector('td.decision').appendChild(el('p', { class: 'msg', role: 'alert' }, [
      'Not applied: this change overlaps the change to \'', doc.flags[other].text,
      '\' on line ' + lineOf(doc, other) + ': undo that one first.',
    ]));
  }

  /** Accepts, rejects or edits flag k; false (and a message in the row) when it cannot apply. */
  function decide(doc, k, action, replacement) {
    const flag = doc.flags[k];
    const row = doc.rows[k];
    const before = decisionOf(doc, k);
    let dec;
    if (action === 'accept') {
      dec = { action: 'accept' };
      if (typeof flag.suggestion === 'string') dec.replacement = flag.suggestion;
    } else if (action === 'reject') {
      const select = row && row.querySelector('select.scope');
      dec = { action: 'reject', scope: select ? select.value : 'occurrence' };
      if (guardable(flag)) {
        dec.guard = before && before.action === 'reject' && typeof before.guard === 'string' ? before.guard : flag.guard;
      }
    } else {
      dec = { action: 'edit', replacement: replacement };
    }
    if (replacementOf(dec) !== null) {
      const other = conflictFor(doc, k);
      if (other >= 0) {
        showOverlap(doc, k, other);
        return false;
      }
    }
    clearMessage(row);
    closeEditor(row);
    setDecision(doc, k, dec, true);
    return true;
  }

  /** A rejected flag's new scope, chosen in its "Reject for" list. */
  function changeScope(doc, k, scope) {
    const dec = decisionOf(doc, k);
    if (!dec || dec.action !== 'reject' || dec.scope === scope) return;
    setDecision(doc, k, Object.assign({}, dec, { scope: scope }), true);
  }

  /** Takes back the last decision made on this page and focuses its row. */
  function undo() {
    const last = undoStack.pop();
    if (!last) {
      showProgress();
      return;
    }
    const row = last.doc.rows[last.k];
    clearMessage(row);
    closeEditor(row);
    setDecision(last.doc, last.k, last.before, false);
    if (row && visible(row)) focusRow(row);
  }

  /** Opens the inline editor of flag k, prefilled, and focuses it. */
  function openEditor(doc, k) {
    const row = doc.rows[k];
    if (!row) return;
    const cell = row.querySelector('td.decision');
    const open = cell.querySelector('.editor input');
    if (open) {
      // Already open: keep what was typed.
      open.focus();
      return;
    }
    const flag = doc.flags[k];
    const current = replacementOf(decisionOf(doc, k));
    const textId = 'doc-' + doc.index + '-flag-' + k + '-text';
    const input = el('input', {
      type: 'text', class: 'correction', lang: doc.lang, spellcheck: 'false', 'aria-describedby': textId,
    });
    input.value = current !== null ? current : typeof flag.suggestion === 'string' ? flag.suggestion : flag.text;
    cell.querySelector('.buttons').after(el('div', { class: 'editor' }, [
      el('label', null, ['Correction ', input]),
      el('span', { class: 'editor-buttons' }, [
        el('button', { type: 'button', class: 'save' }, ['Save']),
        el('button', { type: 'button', class: 'cancel' }, ['Cancel']),
      ]),
    ]));
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') {
        e.preventDefault();
        saveEdit(doc, k);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        cancelEdit(doc, k);
      }
    });
    input.focus();
    input.select();
  }

  /** Removes a row's editor, if open. */
  function closeEditor(row) {
    const box = row && row.querySelector('td.decision .editor');
    if (box) box.remove();
  }

  /** Records what the editor holds as flag k's correction, then goes on to the next flag. */
  function saveEdit(doc, k) {
    const row = doc.rows[k];
    const input = row.querySelector('.editor input');
    if (!input) return;
    if (decide(doc, k, 'edit', input.value)) focusNextUndecided(row);
    else input.focus();
  }

  /** Closes flag k's editor without a decision; focus returns to the row. */
  function cancelEdit(doc, k) {
    const row = doc.rows[k];
    closeEditor(row);
    focusRow(row);
  }

  // ---------------------------------------------------------------------------------------
  // The review: moving between flags.
  // ---------------------------------------------------------------------------------------

  /** Whether a row is shown (not filtered out). */
  function visible(row) {
    return !row.classList.contains('hidden') && row.getClientRects().length > 0;
  }

  /** Whether a row's flag has no decision. */
  function isUndecided(row) {
    return row.getAttribute('data-decision') === 'undecided';
  }

  /** Focuses a flag row and scrolls it into view (clear of the sticky bar). */
  function focusRow(row) {
    if (!row) return;
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: 'nearest' });
  }

  /** The document and flag index a row or mark stands for, or null. */
  function flagOf(node) {
    if (!node) return null;
    const doc = docsByIndex.get(Number(node.getAttribute('data-doc')));
    const k = Number(node.getAttribute('data-flag'));
    if (!doc || !(k >= 0 && k < doc.flags.length)) return null;
    return { doc: doc, k: k, row: doc.rows[k] || null };
  }

  /** The current flag: the one whose row (or mark) holds the focus, or null. */
  function currentFlag() {
    const a = document.activeElement;
    if (!a || !a.closest) return null;
    return flagOf(a.closest('tr[data-flag][data-doc], mark[data-flag][data-doc]'));
  }

  /** Focuses the next undecided visible flag after `row`, round the page; false when none. */
  function focusNextUndecided(row) {
    const start = allRows.indexOf(row);
    const wanted = function (r) { return r !== row && visible(r) && isUndecided(r); };
    const after = allRows.slice(start + 1).find(wanted);
    if (openBefore(row, after, function (doc) { return firstRow(doc, wanted); })) return true;
    for (let i = 1; i <= allRows.length; i++) {
      const r = allRows[(start + i + allRows.length) % allRows.length];
      if (wanted(r)) {
        focusRow(r);
        return true;
      }
    }
    showProgress();
    return false;
  }

  /** The first row of a document that `ok` accepts, or null. */
  function firstRow(doc, ok) {
    return doc.rows.find(function (r) { return r && ok(r); }) || null;
  }

  /** In a report in pages: when a document with flags not yet loaded comes after `row`'s
   *  document and before `next` (the row that would come next), loads it and focuses the row
   *  `pick` chooses in it (or moves on from there when none). False when there is none. */
  function openBefore(row, next, pick) {
    if (!pagesMain) return false;
    const from = row ? flagOf(row) : null;
    const fromIndex = from ? from.doc.index : -1;
    const to = next ? flagOf(next) : null;
    const until = to ? to.doc.index : Infinity;
    const doc = docs.find(function (d) {
      return !d.loaded && d.flagCount > 0 && d.index > fromIndex && d.index < until && isPending(d.index);
    });
    if (!doc) return false;
    loadSection(doc.index).then(function () {
      const r = pick(doc);
      if (r) focusRow(r);
      else if (doc.rows.length > 0) focusNextUndecided(doc.rows[doc.rows.length - 1]);
    }, function () {});
    return true;
  }

  /** Focuses the visible flag row `step` rows from the current one (the first when none). */
  function move(step) {
    const cur = currentFlag();
    const shown = allRows.filter(visible);
    const first = function (doc) { return firstRow(doc, visible); };
    if (!cur || !cur.row) {
      if (step > 0 && openBefore(null, shown[0], first)) return;
      if (shown.length === 0) return;
      focusRow(step > 0 ? shown[0] : shown[shown.length - 1]);
      return;
    }
    const at = allRows.indexOf(cur.row);
    const rows = step > 0 ? allRows.slice(at + 1) : allRows.slice(0, at).reverse();
    const next = rows.find(visible);
    if (step > 0 && openBefore(cur.row, next, first)) return;
    if (shown.length === 0) return;
    focusRow(next || (visible(cur.row) ? cur.row : shown[step > 0 ? shown.length - 1 : 0]));
  }

  /** Handles the single-key shortcuts: j k a r e u. */
  function onKey(e) {
    if (!shortcutsOn || e.ctrlKey || e.altKey || e.metaKey || e.isComposing || e.defaultPrevented) return;
    const t = e.target;
    if (t && t.nodeType === 1 && (t.matches('input, select, textarea') || t.isContentEditable)) return;
    const key = e.key;
    if (key === 'j' || key === 'k') {
      e.preventDefault();
      move(key === 'j' ? 1 : -1);
    } else if (key === 'u') {
      e.preventDefault();
      undo();
    } else if (key === 'a' || key === 'r' || key === 'e') {
      const cur = currentFlag();
      if (!cur || !cur.row) return;
      e.preventDefault();
      if (key === 'e') openEditor(cur.doc, cur.k);
      else if (decide(cur.doc, cur.k, key === 'a' ? 'accept' : 'reject')) focusNextUndecided(cur.row);
    }
  }

  /** Handles clicks on the rows' buttons and on marks. */
  function onClick(e) {
    const t = e.target;
    if (!t.closest) return;
    const button = t.closest('td.decision button');
    if (button) {
      const f = flagOf(button.closest('tr[data-flag]'));
      if (!f) return;
      if (button.classList.contains('accept') || button.classList.contains('reject')) {
        if (decide(f.doc, f.k, button.classList.contains('accept') ? 'accept' : 'reject')) focusNextUndecided(f.row);
      } else if (button.classList.contains('edit')) {
        openEditor(f.doc, f.k);
      } else if (button.classList.contains('save')) {
        saveEdit(f.doc, f.k);
      } else if (button.classList.contains('cancel')) {
        cancelEdit(f.doc, f.k);
      }
      return;
    }
    const mark = t.closest('mark[data-flag]');
    if (mark) {
      const f = flagOf(mark);
      if (f && f.row && visible(f.row)) focusRow(f.row);
    }
  }

  /** Enter on a focused mark goes to its row, as a click does. */
  function onMarkKey(e) {
    if (e.key !== 'Enter' || !e.target.matches || !e.target.matches('mark[data-flag]')) return;
    const f = flagOf(e.target);
    if (f && f.row && visible(f.row)) {
      e.preventDefault();
      focusRow(f.row);
    }
  }

  // ---------------------------------------------------------------------------------------
  // The review: downloads.
  // ---------------------------------------------------------------------------------------

  /** The last part of a path. */
  function basename(path) {
    const parts = String(path || 'document').split(/[\\/]/);
    return parts[parts.length - 1] || 'document';
  }

  /** Escapes a replacement for splicing into a source of the given format, as `apply` does:
   *  HTML entities for & < > " ', a backslash before Markdown's special characters; plain
   *  text and subtitles as they are. */
  function escapeFor(format, s) {
    if (format === 'html') {
      return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    }
    if (format === 'markdown') return s.replace(/[\\`*_[\]<>#|]/g, '\\$&');
    return s;
  }

  /** `base` with the changes' replacements spliced in at their `key` spans, from the end. */
  function splice(base, changes, key, format) {
    let out = base;
    changes.slice().sort(function (a, b) {
      return b[key][0] - a[key][0] || b[key][1] - a[key][1];
    }).forEach(function (c) {
      out = out.slice(0, c[key][0]) + escapeFor(format, c.replacement) + out.slice(c[key][1]);
    });
    return out;
  }

  /** What the download gives for a document: file name, content, type, and a note on why. */
  function downloadPlan(doc) {
    const d = doc.data;
    const name = basename(d.path);
    const changes = appliedChanges(doc);
    const text = typeof d.text === 'string' ? d.text : '';
    const plain = function () { return splice(text, changes, 'at', 'text'); };
    const types = {
      html: 'text/html', markdown: 'text/markdown', srt: 'application/x-subrip', vtt: 'text/vtt',
    };
    if (d.format === 'docx') {
      return {
        name: name + '.txt', type: 'text/plain', content: plain,
        note: 'This is a Word document: the download is its corrected text as plain text (' + name + '.txt). `transmend apply` with the exported decisions writes the Word file.',
      };
    }
    if (types[d.format] && typeof d.source === 'string') {
      const crossing = changes.find(function (c) { return !Array.isArray(c.src); });
      if (!crossing) {
        return { name: name, type: types[d.format], content: function () { return splice(d.source, changes, 'src', d.format); } };
      }
      return {
        name: name + '.txt', type: 'text/plain', content: plain,
        note: 'The change to \'' + crossing.flag.text + '\' on line ' + lineOf(doc, crossing.k) +
          ' crosses markup, so it cannot be made in the file itself: the download is the corrected plain text (' +
          name + '.txt).',
      };
    }
    if (types[d.format] && d.format !== 'srt' && d.format !== 'vtt') {
      return {
        name: name + '.txt', type: 'text/plain', content: plain,
        note: 'The page does not hold this file\'s markup: the download is the corrected plain text (' + name + '.txt).',
      };
    }
    return { name: name, type: 'text/plain', content: plain };
  }

  /** Offers `content` as a file download named `name`. */
  function download(name, content, type) {
    const blob = new Blob([content], { type: type + ';charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: name, class: 'hidden' });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  /** Downloads a document's corrected text. */
  function downloadCorrected(doc) {
    const plan = downloadPlan(doc);
    doc.ui.note.textContent = plan.note || '';
    download(plan.name, plan.content(), plan.type);
  }

  /** decisions.json as docs/review.md describes it. */
  function decisionsFile() {
    return {
      transmend_decisions: 1,
      report: data.report,
      // A report in pages: the documents opened (those with decisions are loaded first).
      documents: docs.filter(function (doc) { return doc.loaded; }).map(function (doc) {
        const decisions = [];
        const undecided = [];
        doc.flags.forEach(function (flag, k) {
          const dec = decisionOf(doc, k);
          if (!dec) {
            undecided.push({
              fingerprint: flag.fingerprint, rule: flag.rule, text: flag.text, text_span: flag.text_span,
              suggestion: flag.suggestion === undefined ? null : flag.suggestion, autofix: !!flag.autofix,
            });
            return;
          }
          const out = {
            fingerprint: flag.fingerprint, rule: flag.rule, concept: flag.concept === undefined ? null : flag.concept,
            start: flag.start, end: flag.end, line: flag.line, column: flag.column, text_span: flag.text_span,
            text: flag.text, action: dec.action,
          };
          if (dec.action !== 'reject' && typeof dec.replacement === 'string') out.replacement = dec.replacement;
          if (dec.action === 'reject') {
            out.scope = dec.scope;
            if (guardable(flag) && typeof dec.guard === 'string' && dec.guard.trim() !== '') out.guard = dec.guard.trim();
          }
          decisions.push(out);
        });
        return {
          path: doc.data.path, sha256: doc.data.sha256, format: doc.data.format,
          decisions: decisions, undecided: undecided,
        };
      }),
    };
  }

  /** Downloads decisions.json. */
  function exportDecisions() {
    // A report in pages: documents with decisions that were not opened here (decided in an
    // earlier visit, or by run --decisions) are loaded first, so that their decisions go out.
    const needed = docs.filter(function (d) { return !d.loaded && pendingDecided(d) > 0; });
    if (needed.length === 0) {
      writeDecisions();
      return;
    }
    bar.status.textContent = 'Loading ' + count(needed.length, 'document', 'documents') + ' with decisions…';
    Promise.all(needed.map(function (d) { return loadSection(d.index); })).then(writeDecisions, function (e) {
      bar.status.textContent = 'Not exported: ' + e.message;
    });
  }

  /** Downloads decisions.json and says what it holds. */
  function writeDecisions() {
    const file = decisionsFile();
    const n = file.documents.reduce(function (s, d) { return s + d.decisions.length; }, 0);
    download('decisions.json', JSON.stringify(file, null, 2) + '\n', 'application/json');
    const unopened = docs.length - file.documents.length;
    bar.status.textContent = 'Exported ' + count(n, 'decision', 'decisions') + ' as decisions.json' +
      (unopened > 0 ? ' (' + count(unopened, 'document', 'documents') + ' not opened and without decisions left out).' : '.');
  }

  // ---------------------------------------------------------------------------------------
  // Start.
  // ---------------------------------------------------------------------------------------

  /** Adds the review's controls to a document's section. */
  function buildDocument(doc) {
    buildDecisionFilter(doc);
    buildPanel(doc);
    buildRows(doc);
    doc.flags.forEach(function (flag, k) { showDecision(doc, k); });
    showDocument(doc);
    applyFilters(doc.section);
  }

  /** Sets up the review when the page carries its data. */
  function setupReview() {
    data = readData();
    if (!data) return;
    storageKey = 'transmend-review:' + String(data.report);
    docs = data.documents.filter(function (d) { return d && typeof d === 'object'; })
      .map(function (d, i) { return makeDoc(d, i); });
    docs.forEach(function (doc) { docsByIndex.set(doc.index, doc); });
    loadDecisions();
    buildBar();
    docs.forEach(function (doc) {
      if (doc.section) buildDocument(doc);
    });
    onPageLoaded = function (index, review, section) {
      const doc = docsByIndex.get(index);
      if (!doc || doc.loaded || !review || !Array.isArray(review.flags)) return;
      doc.data = review;
      doc.loaded = true;
      doc.lang = review.lang || doc.lang;
      doc.flags = review.flags;
      doc.flagCount = review.flags.length;
      if (review.decisions && typeof review.decisions === 'object') doc.embedded = review.decisions;
      doc.section = section;
      takeDecisions(doc);
      buildDocument(doc);
      showProgress();
    };
    showProgress();
    document.addEventListener('keydown', onKey);
    document.addEventListener('keydown', onMarkKey);
    document.addEventListener('click', onClick);
  }

  setupSorting();
  setupFilters();
  document.addEventListener('mouseover', keepTipInside);
  document.addEventListener('focusin', keepTipInside);
  setupReview();
  setupPages();
}());
