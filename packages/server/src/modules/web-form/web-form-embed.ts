/**
 * The script a website embeds (`<div data-rapport-form="…"></div><script src="…/embed/forms.js" async></script>`).
 * Plain ES5-level JavaScript with no dependencies, served as-is: it draws each form from its public definition, posts it
 * as a form-encoded body (a "simple" cross-origin request, no preflight) with the UTM tags of the page address (or, failing
 * that, of the referrer), the referrer and the page address, and shows the success message or the field errors.
 */
export const EMBED_SCRIPT = String.raw`(function () {
  'use strict';
  var script = document.currentScript;
  var base = script ? new URL(script.src).origin : '';
  var UTM = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'];
  var CSS = '.rapport-form{display:grid;gap:12px;max-width:480px;font:inherit}' +
    '.rapport-form label{display:grid;gap:4px;font-weight:600}' +
    '.rapport-form input:not([type=checkbox]),.rapport-form textarea,.rapport-form select{font:inherit;font-weight:400;padding:8px 10px;border:1px solid #c8ccd2;border-radius:6px;width:100%;box-sizing:border-box}' +
    '.rapport-form .rapport-check{display:flex;gap:8px;align-items:center}' +
    '.rapport-form button{font:inherit;padding:10px 16px;border:0;border-radius:6px;background:#228be6;color:#fff;cursor:pointer;justify-self:start}' +
    '.rapport-form button[disabled]{opacity:.6}' +
    '.rapport-form .rapport-error{color:#c92a2a;font-weight:400;font-size:.9em}' +
    '.rapport-form .rapport-hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}';

  function campaign() {
    var found = {};
    var searches = [location.search];
    try { if (document.referrer) searches.push(new URL(document.referrer).search); } catch (e) { /* an unreadable referrer has no tags */ }
    UTM.forEach(function (key) {
      for (var i = 0; i < searches.length; i++) {
        var value = new URLSearchParams(searches[i]).get(key);
        if (value) { found[key] = value; return; }
      }
    });
    return found;
  }

  function el(tag, props) {
    var node = document.createElement(tag);
    for (var key in props) node[key] = props[key];
    return node;
  }

  function field(def) {
    var input;
    if (def.input === 'textarea') input = el('textarea', { rows: 4 });
    else if (def.input === 'select') {
      input = el('select', {});
      input.appendChild(el('option', { value: '', textContent: '' }));
      def.options.forEach(function (option) { input.appendChild(el('option', { value: option.value, textContent: option.label })); });
    } else input = el('input', { type: def.input });
    input.name = def.key;
    input.required = def.required;
    if (def.input === 'checkbox') input.value = 'true';
    if (def.input === 'tel') input.autocomplete = 'tel';
    if (def.input === 'email') input.autocomplete = 'email';
    var label = el('label', { className: def.input === 'checkbox' ? 'rapport-check' : '' });
    var caption = el('span', { textContent: def.label + (def.required ? ' *' : '') });
    if (def.input === 'checkbox') { label.appendChild(input); label.appendChild(caption); } else { label.appendChild(caption); label.appendChild(input); }
    var error = el('span', { className: 'rapport-error' });
    label.appendChild(error);
    return { label: label, error: error };
  }

  function render(host, id, def) {
    var form = el('form', { className: 'rapport-form' });
    var errors = {};
    def.fields.forEach(function (def) {
      var made = field(def);
      errors[def.key] = made.error;
      form.appendChild(made.label);
    });
    // The honeypot: people never see or reach it; bots that fill every field fill it too.
    var trap = el('div', { className: 'rapport-hp' });
    trap.setAttribute('aria-hidden', 'true');
    trap.appendChild(el('input', { name: def.honeypot, tabIndex: -1, autocomplete: 'off', type: 'text' }));
    form.appendChild(trap);
    var status = el('div', { className: 'rapport-error' });
    status.setAttribute('role', 'status');
    var button = el('button', { type: 'submit', textContent: host.getAttribute('data-submit-label') || def.texts.submit });
    form.appendChild(button);
    form.appendChild(status);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var body = new URLSearchParams(new FormData(form));
      var tags = campaign();
      for (var key in tags) body.set(key, tags[key]);
      if (document.referrer) body.set('referrer', document.referrer);
      body.set('page_url', location.href);
      for (var name in errors) errors[name].textContent = '';
      status.textContent = '';
      button.disabled = true;
      fetch(base + '/api/v1/public/forms/' + id + '/submissions', { method: 'POST', body: body })
        .then(function (response) { return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; }); })
        .then(function (result) {
          button.disabled = false;
          if (result.ok) {
            if (result.answer.redirectUrl) { location.href = result.answer.redirectUrl; return; }
            var done = el('div', { className: 'rapport-form rapport-done', textContent: result.answer.message || def.texts.done });
            done.setAttribute('role', 'status');
            form.parentNode.replaceChild(done, form);
            return;
          }
          (result.answer.errors || []).forEach(function (error) {
            var key = error.path.replace(/^\/body\//, '');
            if (errors[key]) errors[key].textContent = error.message;
          });
          status.textContent = result.answer.status === 429 ? def.texts.tooMany : def.texts.invalid;
        })
        .catch(function () { button.disabled = false; status.textContent = def.texts.failed; });
    });
    host.innerHTML = '';
    host.appendChild(form);
  }

  function mount(host) {
    if (host.getAttribute('data-rapport-mounted')) return;
    host.setAttribute('data-rapport-mounted', '1');
    var id = host.getAttribute('data-rapport-form');
    fetch(base + '/api/v1/public/forms/' + encodeURIComponent(id))
      .then(function (response) { if (!response.ok) throw new Error(String(response.status)); return response.json(); })
      .then(function (def) { render(host, id, def); })
      .catch(function () { host.textContent = 'This form is not available.'; });
  }

  function start() {
    if (!document.getElementById('rapport-form-css')) document.head.appendChild(el('style', { id: 'rapport-form-css', textContent: CSS }));
    Array.prototype.forEach.call(document.querySelectorAll('[data-rapport-form]'), mount);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
`;
