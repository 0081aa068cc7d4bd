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
  function insertBlock(html) {
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
    var target = first && (first.querySelector('td,figcaption') || first);
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
    insertBlock('<table><tbody><tr>' + cell + cell + '</tr><tr>' + cell + cell + '</tr></tbody></table><p><br></p>');
  }

  function insertImage() {
    var src = window.prompt('Địa chỉ ảnh trong thư viện ảnh của đơn vị (bắt đầu bằng /media/):', '/media/');
    if (!src) { return; }
    src = src.trim();
    if (src.indexOf('/media/') !== 0) {
      window.alert('Chỉ chèn được ảnh từ thư viện ảnh của đơn vị (địa chỉ bắt đầu bằng /media/).');
      return;
    }
    var alt = window.prompt('Mô tả ảnh cho người khiếm thị (bắt buộc):', '');
    if (alt === null) { return; }
    var caption = window.prompt('Chú thích ảnh (hiện dưới ảnh):', alt) || '';
    insertBlock('<figure><img src="' + escapeHTML(src) + '" alt="' + escapeHTML(alt) + '">' +
      '<figcaption>' + escapeHTML(caption) + '</figcaption></figure><p><br></p>');
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
