/*
 * Trangtin – trình soạn thảo bài viết (editor for the console's item form).
 *
 * Progressive enhancement: the form works without this file (a plain
 * <textarea name="body"> holding HTML). When it runs, the textarea is
 * hidden and replaced by a toolbar and a contenteditable area; the HTML is
 * copied back into the textarea on every change and on submit, so the
 * server receives exactly the same field either way. The server sanitises
 * the body on save (bluemonday policy; Word junk is removed there too).
 *
 * Why document.execCommand: it is marked obsolete in the HTML Editing
 * spec, but every current browser (Chromium, Firefox, Safari) still ships
 * it, there is no standard replacement for issuing editing commands, and
 * it is the only way to get the browser's own undo/redo stack for
 * programmatic edits (Hoàn tác / Làm lại) without writing our own
 * history. If a browser ever drops it, queryCommandSupported() is false
 * and the plain textarea stays in place.
 *
 * No libraries, no build step; loaded with <script defer>, no inline JS
 * (the console's Content-Security-Policy forbids it).
 */
(function () {
  'use strict';

  var form = document.querySelector('form[data-lint-url]');
  var source = form && form.querySelector('textarea[name="body"]');
  if (!form || !source) { return; }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf"]');
    if (meta && meta.content) { return meta.content; }
    var input = form.querySelector('input[name="_csrf"]');
    return input ? input.value : '';
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function escapeHTML(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  /* ---------- The editor ---------- */

  var canEdit = typeof document.execCommand === 'function' &&
    document.queryCommandSupported && document.queryCommandSupported('bold');
  var area = null;

  // A small clean-up before pasted HTML enters the page: parsing in an
  // inert document runs nothing; scripts, styles and event handlers go.
  // The real cleaning (Word markup, allowed tags, image sources) is the
  // server's.
  function cleanPaste(html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    doc.querySelectorAll('script,style,meta,link,title,iframe,object,embed,form,input,button,xml').forEach(function (n) { n.remove(); });
    doc.querySelectorAll('*').forEach(function (n) {
      Array.prototype.slice.call(n.attributes).forEach(function (a) {
        var name = a.name.toLowerCase();
        if (name.indexOf('on') === 0 || ((name === 'href' || name === 'src') && /^\s*(javascript|data|vbscript):/i.test(a.value))) {
          n.removeAttribute(a.name);
        }
      });
    });
    return doc.body ? doc.body.innerHTML.replace(/<!--[\s\S]*?-->/g, '') : '';
  }

  function sync() { if (area) { source.value = area.innerHTML; } }

  function exec(cmd, value) {
    area.focus();
    document.execCommand(cmd, false, value === undefined ? null : value);
    sync();
    updateState();
    scheduleLint();
  }

  function insertLink() {
    var url = window.prompt('Địa chỉ liên kết (bắt đầu bằng https:// hoặc /):', 'https://');
    if (!url || /^\s*(javascript|data|vbscript):/i.test(url)) { return; }
    exec('createLink', url.trim());
  }

  // Tables and figures are blocks: inserted after the block holding the
  // caret (replacing it when empty) through the DOM, because insertHTML
  // inside a paragraph makes invalid nesting that browsers mangle. These
  // two steps are outside the browser's undo stack.
  // caretIn names where the caret goes in the inserted markup: a table's
  // first cell, or the paragraph after a picture, whose caption the
  // dialog already filled in (typing on would have gone into it).
  function insertBlock(html, caretIn) {
    area.focus();
    var sel = window.getSelection();
    var node = sel.rangeCount ? sel.getRangeAt(0).startContainer : null;
    while (node && node.parentNode !== area) { node = node.parentNode; }
    var tpl = document.createElement('template');
    tpl.innerHTML = html; // our own markup, values escaped: inert until inserted
    var first = tpl.content.firstElementChild;
    var emptyText = node && /^(P|DIV|H[1-6])$/.test(node.nodeName) && node.textContent.trim() === '' && !node.querySelector('img,table');
    if (emptyText) {
      area.replaceChild(tpl.content, node);
    } else if (node) {
      area.insertBefore(tpl.content, node.nextSibling);
    } else {
      area.appendChild(tpl.content);
    }
    var target = first && (caretIn(first) || first);
    if (target) {
      var range = document.createRange();
      range.selectNodeContents(target);
      range.collapse(true);
      sel.removeAllRanges();
      sel.addRange(range);
    }
    sync();
    scheduleLint();
  }

  function insertTable() {
    var cell = '<td><br></td>';
    insertBlock('<table><tbody><tr>' + cell + cell + '</tr><tr>' + cell + cell + '</tr></tbody></table><p><br></p>',
      function (table) { return table.querySelector('td'); });
  }

  /* ---------- The picture picker ---------- */
  // "Chèn ảnh" and "Chọn từ thư viện" (the cover picture) open one dialog:
  // the tenant's images with thumbnails (GET data-pick-url), a search, and
  // an upload in place with its alt text. A refused upload shows why and
  // keeps the chosen file and the typed text; nothing here leaves the page.
  var pickURL = form.getAttribute('data-pick-url');
  var picker = null;
  var savedRange = null;

  function labelled(id, text, input) {
    var wrap = el('div', { class: 'field' });
    wrap.appendChild(el('label', { for: id }, text));
    wrap.appendChild(input);
    return wrap;
  }

  function buildPicker() {
    var p = { mode: 'insert', chosen: null, uploadURL: '' };
    var d = el('dialog', { class: 'picker', id: 'picker', 'aria-labelledby': 'picker-h' });
    d.appendChild(el('h2', { id: 'picker-h' }, 'Chọn ảnh'));
    p.search = el('input', { type: 'search', id: 'picker-q', autocomplete: 'off' });
    d.appendChild(labelled('picker-q', 'Tìm trong thư viện ảnh', p.search));
    p.status = el('p', { class: 'muted', id: 'picker-status', 'aria-live': 'polite' });
    d.appendChild(p.status);
    p.grid = el('div', { class: 'picker-grid', id: 'picker-grid' });
    d.appendChild(p.grid);

    p.details = el('div', { class: 'picker-chosen' });
    p.alt = el('input', { type: 'text', id: 'picker-alt', maxlength: '500' });
    p.caption = el('input', { type: 'text', id: 'picker-caption', maxlength: '2000' });
    p.details.appendChild(labelled('picker-alt', 'Mô tả ảnh cho người khiếm thị (bắt buộc)', p.alt));
    p.details.appendChild(labelled('picker-caption', 'Chú thích (hiện dưới ảnh)', p.caption));
    d.appendChild(p.details);

    p.upload = el('fieldset', { class: 'picker-upload' });
    p.upload.appendChild(el('legend', {}, 'Hoặc tải ảnh mới lên thư viện'));
    p.file = el('input', { type: 'file', id: 'picker-file', accept: 'image/jpeg,image/png,image/webp,image/gif' });
    p.upAlt = el('input', { type: 'text', id: 'picker-up-alt', maxlength: '500' });
    p.upload.appendChild(labelled('picker-file', 'Tệp ảnh', p.file));
    p.upload.appendChild(labelled('picker-up-alt', 'Mô tả ảnh mới cho người khiếm thị (bắt buộc)', p.upAlt));
    p.upError = el('p', { class: 'error-text', id: 'picker-up-error', role: 'alert' });
    p.upload.appendChild(p.upError);
    p.upButton = el('button', { type: 'button', class: 'secondary', id: 'picker-upload' }, 'Tải lên');
    p.upload.appendChild(p.upButton);
    d.appendChild(p.upload);

    var actions = el('div', { class: 'actions' });
    p.ok = el('button', { type: 'button', id: 'picker-ok' }, 'Chèn ảnh');
    var cancel = el('button', { type: 'button', class: 'secondary', id: 'picker-cancel' }, 'Hủy');
    actions.appendChild(p.ok);
    actions.appendChild(cancel);
    d.appendChild(actions);
    document.body.appendChild(d);
    p.dialog = d;

    var timer = null;
    p.search.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { loadPicker(p); }, 300);
    });
    cancel.addEventListener('click', function () { d.close(); });
    p.ok.addEventListener('click', function () { confirmPick(p); });
    p.upButton.addEventListener('click', function () { uploadInPlace(p); });
    return p;
  }

  function choose(p, item, tile) {
    p.chosen = item;
    p.grid.querySelectorAll('button[aria-pressed]').forEach(function (b) { b.setAttribute('aria-pressed', 'false'); });
    if (tile) { tile.setAttribute('aria-pressed', 'true'); }
    p.alt.value = item.alt || '';
    p.caption.value = item.caption || '';
    p.status.textContent = 'Đã chọn: ' + item.name;
  }

  function tileFor(p, item) {
    var b = el('button', { type: 'button', class: 'picker-tile', 'aria-pressed': 'false', 'data-id': item.id });
    b.appendChild(el('img', { src: item.thumb, alt: item.alt || item.name, loading: 'lazy' }));
    b.appendChild(el('span', {}, item.name));
    b.addEventListener('click', function () { choose(p, item, b); });
    return b;
  }

  function loadPicker(p) {
    p.status.textContent = 'Đang tải thư viện ảnh…';
    fetch(pickURL + '?q=' + encodeURIComponent(p.search.value), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (res) { if (!res.ok) { throw new Error(res.status); } return res.json(); })
      .then(function (data) {
        p.uploadURL = data.upload || '';
        p.upload.hidden = !p.uploadURL;
        var tiles = (data.items || []).map(function (item) { return tileFor(p, item); });
        p.grid.replaceChildren.apply(p.grid, tiles);
        p.status.textContent = tiles.length ? tiles.length + ' ảnh. Bấm vào một ảnh để chọn.' : 'Thư viện chưa có ảnh nào phù hợp.';
      })
      .catch(function () { p.status.textContent = 'Không tải được thư viện ảnh. Hãy thử lại.'; });
  }

  function uploadInPlace(p) {
    p.upError.textContent = '';
    if (!p.file.files || !p.file.files.length) { p.upError.textContent = 'Hãy chọn tệp ảnh cần tải lên.'; return; }
    // The library takes documents too, and would name them in its refusal;
    // here only a picture can be inserted.
    if (!/^image\/(jpeg|png|webp|gif)$/.test(p.file.files[0].type)) { p.upError.textContent = 'Chỉ chèn được ảnh JPEG, PNG, WebP hoặc GIF; tệp này không phải ảnh.'; return; }
    if (!p.upAlt.value.trim()) { p.upError.textContent = 'Cần mô tả ảnh cho người khiếm thị.'; p.upAlt.focus(); return; }
    var data = new FormData();
    data.append('alt', p.upAlt.value.trim());
    data.append('file', p.file.files[0]);
    p.upButton.disabled = true;
    p.status.textContent = 'Đang tải ảnh lên…';
    fetch(p.uploadURL, { method: 'POST', body: data, credentials: 'same-origin', headers: { 'X-CSRF-Token': csrfToken(), 'Accept': 'application/json' } })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (body) { return { ok: res.ok, body: body }; });
      })
      .then(function (r) {
        p.upButton.disabled = false;
        if (!r.ok) {
          // The file and the text stay as they are, to try again.
          var e = r.body.error || {};
          p.upError.textContent = e.code === 'media_type_unsupported' ?
            'Tệp này không phải ảnh (hệ thống xét nội dung tệp, không xét tên tệp). Chỉ chèn được ảnh JPEG, PNG, WebP hoặc GIF.' :
            e.message || 'Không tải được ảnh lên. Hãy thử lại.';
          p.status.textContent = '';
          return;
        }
        var m = r.body;
        var item = { id: m.id, src: m.path, thumb: pickURL.replace(/\/chon$/, '/') + m.id + '/tep/' + m.path.split('/').pop(),
          name: m.name, alt: m.alt, caption: m.caption || '', credit: m.credit || '' };
        var tile = tileFor(p, item);
        p.grid.insertBefore(tile, p.grid.firstChild);
        choose(p, item, tile);
        p.file.value = '';
        p.upAlt.value = '';
      })
      .catch(function () {
        p.upButton.disabled = false;
        p.upError.textContent = 'Mất kết nối khi tải ảnh lên. Tệp và nội dung vẫn còn, hãy thử lại.';
      });
  }

  function confirmPick(p) {
    if (!p.chosen) { p.status.textContent = 'Hãy chọn một ảnh trong thư viện.'; return; }
    if (p.mode === 'cover') { setCover(p); return; }
    var alt = p.alt.value.trim();
    if (!alt) { p.status.textContent = 'Cần mô tả ảnh cho người khiếm thị.'; p.alt.focus(); return; }
    p.dialog.close();
    area.focus();
    if (savedRange) {
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(savedRange);
    }
    // The photographer's credit goes with the picture into the text, as
    // the public page writes it under a cover picture ("Ảnh: …").
    var caption = p.caption.value.trim();
    var credit = (p.chosen.credit || '').trim();
    if (credit && caption.indexOf(credit) < 0) { caption = (caption ? caption + ' ' : '') + 'Ảnh: ' + credit; }
    insertBlock('<figure><img src="' + escapeHTML(p.chosen.src) + '" alt="' + escapeHTML(alt) + '">' +
      (caption ? '<figcaption>' + escapeHTML(caption) + '</figcaption>' : '') + '</figure><p><br></p>',
      function (figure) { return figure.nextElementSibling; });
  }

  // setCover saves the cover picture at once, without leaving the page
  // (the text being written is not lost).
  function setCover(p) {
    var coverForm = document.getElementById('cover-form');
    var body = new URLSearchParams();
    body.append('_csrf', csrfToken());
    body.append('media_id', p.chosen.id);
    fetch(coverForm.action, { method: 'POST', body: body, credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (res) { return res.json().then(function (b) { return { ok: res.ok, body: b }; }); })
      .then(function (r) {
        if (!r.ok) { p.status.textContent = (r.body.error && r.body.error.message) || 'Không lưu được ảnh đại diện.'; return; }
        document.getElementById('cover-id').value = r.body.id;
        var cur = document.getElementById('cover-current');
        cur.replaceChildren(el('img', { class: 'cover-preview', src: r.body.thumb, alt: r.body.alt || '' }),
          el('p', { role: 'status' }, 'Đã chọn ảnh đại diện'));
        p.dialog.close();
      })
      .catch(function () { p.status.textContent = 'Mất kết nối; ảnh đại diện chưa được lưu.'; });
  }

  function openPicker(mode) {
    if (!pickURL || typeof HTMLDialogElement !== 'function') { return false; }
    if (!picker) { picker = buildPicker(); }
    var sel = window.getSelection();
    savedRange = (mode === 'insert' && sel.rangeCount && area && area.contains(sel.getRangeAt(0).startContainer)) ? sel.getRangeAt(0).cloneRange() : null;
    picker.mode = mode;
    picker.chosen = null;
    picker.details.hidden = mode !== 'insert';
    picker.ok.textContent = mode === 'insert' ? 'Chèn ảnh' : 'Dùng làm ảnh đại diện';
    picker.dialog.querySelector('h2').textContent = mode === 'insert' ? 'Chèn ảnh vào bài' : 'Chọn ảnh đại diện';
    picker.dialog.showModal();
    loadPicker(picker);
    return true;
  }

  function insertImage() { openPicker('insert'); }

  var coverForm = document.getElementById('cover-form');
  if (coverForm && pickURL) {
    var pickCover = el('button', { type: 'button', class: 'secondary', id: 'cover-pick' }, 'Chọn từ thư viện');
    pickCover.addEventListener('click', function () { openPicker('cover'); });
    coverForm.querySelector('.actions').appendChild(pickCover);
  }

  // label, command, value, toggle state command, shortcut key
  var tools = [
    ['Đậm', 'bold', null, 'bold', 'b'],
    ['Nghiêng', 'italic', null, 'italic', 'i'],
    ['Gạch chân', 'underline', null, 'underline', 'u'],
    ['Tiêu đề 2', 'formatBlock', 'h2'],
    ['Tiêu đề 3', 'formatBlock', 'h3'],
    ['Danh sách', 'insertUnorderedList', null, 'insertUnorderedList'],
    ['Danh sách số', 'insertOrderedList', null, 'insertOrderedList'],
    ['Trích dẫn', 'formatBlock', 'blockquote'],
    ['Liên kết', insertLink],
    ['Bảng', insertTable],
    ['Chèn ảnh', insertImage],
    ['Hoàn tác', 'undo'],
    ['Làm lại', 'redo']
  ];
  var toggles = [];

  function updateState() {
    toggles.forEach(function (t) {
      var on = false;
      try { on = document.queryCommandState(t.cmd); } catch (e) { on = false; }
      t.button.setAttribute('aria-pressed', on ? 'true' : 'false');
    });
  }

  function buildEditor() {
    var toolbar = el('div', { role: 'toolbar', 'aria-label': 'Định dạng nội dung', 'aria-controls': 'post-body-editor', class: 'editor-toolbar' });
    tools.forEach(function (t) {
      var label = t[0] + (t[4] ? ' (Ctrl+' + t[4].toUpperCase() + ')' : '');
      var b = el('button', { type: 'button', 'aria-label': label, title: label, class: 'tool' }, t[0]);
      b.addEventListener('mousedown', function (e) { e.preventDefault(); }); // keep the selection
      b.addEventListener('click', function () {
        if (typeof t[1] === 'function') { t[1](); return; }
        // formatBlock toggles back to a paragraph when already applied.
        if (t[1] === 'formatBlock' && document.queryCommandValue('formatBlock').toLowerCase() === t[2]) {
          exec('formatBlock', 'p');
          return;
        }
        exec(t[1], t[2] === null ? undefined : (t[1] === 'formatBlock' ? '<' + t[2] + '>' : t[2]));
      });
      if (t[3]) {
        b.setAttribute('aria-pressed', 'false');
        toggles.push({ cmd: t[3], button: b });
      }
      toolbar.appendChild(b);
    });

    area = el('div', {
      id: 'post-body-editor', class: 'editor-area', contenteditable: 'true', role: 'textbox',
      'aria-multiline': 'true', 'aria-labelledby': labelId(), spellcheck: 'true', lang: 'vi'
    });
    // The server's sanitised HTML, or what was typed before a refused save:
    // cleaned like a paste so nothing in it runs.
    area.innerHTML = cleanPaste(source.value).trim() || '<p><br></p>';
    source.hidden = true;
    source.setAttribute('aria-hidden', 'true');
    source.parentNode.insertBefore(toolbar, source);
    source.parentNode.insertBefore(area, source);
    try { document.execCommand('defaultParagraphSeparator', false, 'p'); } catch (e) { /* older browsers */ }

    area.addEventListener('input', function () { sync(); scheduleLint(); });
    area.addEventListener('keyup', updateState);
    area.addEventListener('mouseup', updateState);
    document.addEventListener('selectionchange', function () {
      if (document.activeElement === area) { updateState(); }
    });
    area.addEventListener('keydown', function (e) {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) { return; }
      var key = e.key.toLowerCase();
      var map = { b: 'bold', i: 'italic', u: 'underline' };
      if (map[key]) { e.preventDefault(); exec(map[key]); }
    });
    area.addEventListener('paste', function (e) {
      var data = e.clipboardData;
      if (!data) { return; }
      var html = data.getData('text/html');
      e.preventDefault();
      if (html) {
        exec('insertHTML', cleanPaste(html));
      } else {
        var text = data.getData('text/plain') || '';
        exec('insertHTML', text.split(/\r?\n\r?\n/).map(function (p) {
          return '<p>' + escapeHTML(p).replace(/\r?\n/g, '<br>') + '</p>';
        }).join(''));
      }
    });
    form.addEventListener('submit', sync);
  }

  function labelId() {
    var label = form.querySelector('label[for="' + source.id + '"]');
    if (!label) { return ''; }
    if (!label.id) { label.id = source.id + '-label'; }
    label.setAttribute('for', 'post-body-editor');
    return label.id;
  }

  /* ---------- Live presentation check ---------- */

  var lintURL = form.getAttribute('data-lint-url');
  var results = document.getElementById('lint-results');
  var timer = null;
  var seq = 0;

  function scheduleLint() {
    if (!lintURL || !results || !window.fetch) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(runLint, 700);
  }

  function value(name) {
    var f = form.querySelector('[name="' + name + '"]');
    return f ? f.value : '';
  }

  function runLint() {
    sync();
    var mine = ++seq;
    var body = new URLSearchParams();
    body.set('title', value('title'));
    body.set('summary', value('summary'));
    body.set('body', source.value);
    fetch(lintURL, {
      method: 'POST', body: body, credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrfToken(), 'Accept': 'application/json' }
    }).then(function (res) {
      if (!res.ok) { throw new Error('HTTP ' + res.status); }
      return res.json();
    }).then(function (data) {
      if (mine === seq) { showFindings(data); }
    }).catch(function () {
      if (mine === seq) { results.replaceChildren(el('p', { class: 'muted' }, 'Không kiểm tra được lúc này; kết quả sẽ có sau khi lưu.')); }
    });
  }

  function showFindings(data) {
    var list = data.findings || [];
    var head = el('p', { class: data.errors ? 'error-text' : 'muted' },
      list.length ? 'Đang soạn: ' + data.errors + ' lỗi, ' + data.warnings + ' cảnh báo' +
        (data.errors ? ' — cần sửa lỗi trước khi gửi duyệt.' : '.') : 'Không phát hiện lỗi trình bày.');
    var nodes = [head];
    if (list.length) {
      var ol = el('ol', { class: 'findings' });
      list.forEach(function (f) {
        var li = el('li', { class: 'finding finding-' + f.severity });
        li.appendChild(el('span', { class: 'sev' }, f.severity_label));
        li.appendChild(document.createTextNode(' · ' + f.part_label + (f.marked || f.before || f.after ? ', vị trí ' + f.offset : '') + ': ' + f.message));
        if (f.marked || f.before || f.after) {
          li.appendChild(el('br'));
          var ex = el('span', { class: 'excerpt' }, '…' + (f.before || ''));
          ex.appendChild(el('mark', {}, f.marked || ''));
          ex.appendChild(document.createTextNode((f.after || '') + '…'));
          li.appendChild(ex);
        }
        if (f.suggestion) {
          li.appendChild(el('br'));
          li.appendChild(el('span', { class: 'suggestion' }, 'Gợi ý: ' + f.suggestion));
        }
        li.appendChild(el('span', { class: 'rule' }, ' (' + f.rule + ')'));
        ol.appendChild(li);
      });
      nodes.push(ol);
    }
    results.replaceChildren.apply(results, nodes);
  }

  if (canEdit) { buildEditor(); } else { source.addEventListener('input', scheduleLint); }
  ['title', 'summary'].forEach(function (name) {
    var f = form.querySelector('[name="' + name + '"]');
    if (f) { f.addEventListener('input', scheduleLint); }
  });
}());
