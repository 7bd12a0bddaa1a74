// The console's buttons and live progress. Plain script, no build step: every request goes
// through the admin API, with the CSRF token from the XSRF-TOKEN cookie; text is set with
// textContent only, so nothing from the server is parsed as HTML.
(function () {
  'use strict';
  var holder = document.getElementById('messages');
  var M = holder ? JSON.parse(holder.getAttribute('data-messages') || '{}') : {};
  function t(key, vars) {
    var s = M[key] || key;
    Object.keys(vars || {}).forEach(function (k) {
      s = s.split('{' + k + '}').join(String(vars[k]));
    });
    return s;
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : '';
  }
  function api(method, path, body) {
    var opts = { method: method, credentials: 'same-origin', headers: { accept: 'application/json' } };
    if (method !== 'GET') {
      opts.headers['content-type'] = 'application/json';
      opts.headers['x-csrf-token'] = csrf();
      opts.body = JSON.stringify(body || {});
    }
    return fetch(path, opts).then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok) throw new Error(data.message || String(res.status));
        return data;
      });
    });
  }
  function el(selector, profile) {
    return document.querySelector(selector + '[data-profile="' + CSS.escape(profile) + '"]');
  }
  function say(profile, text) {
    var m = el('.message', profile);
    if (m) m.textContent = text;
  }
  function liveText(r) {
    var p = r.progress;
    var s =
      r.runId +
      ' · ' +
      t('trigger.' + r.trigger) +
      (r.dryRun ? ' · ' + t('dryRun') : '') +
      ' · ' +
      t('state.' + r.state);
    if (p) s += ' · ' + t('phase.' + p.phase);
    if (p && p.done !== undefined && p.total !== undefined) s += ' ' + p.done + '/' + p.total;
    return s;
  }
  var watching = {};
  // polls the profile's status while a run is waiting or active; reloads when it has finished
  function watch(profile) {
    if (watching[profile]) return;
    watching[profile] = true;
    var seen = false;
    function tick() {
      api('GET', '/api/profiles/' + encodeURIComponent(profile) + '/live').then(
        function (s) {
          var list = el('ul.live', profile);
          if (list) {
            list.textContent = '';
            (s.live.length ? s.live : [null]).forEach(function (r) {
              var li = document.createElement('li');
              li.textContent = r ? liveText(r) : t('live.none');
              if (!r) li.className = 'none';
              list.appendChild(li);
            });
          }
          if (s.live.length) {
            seen = true;
            setTimeout(tick, 1000);
            return;
          }
          watching[profile] = false;
          if (seen) location.reload();
        },
        function () {
          setTimeout(tick, 3000);
        },
      );
    }
    tick();
  }
  function showCheck(profile, c) {
    var box = el('.check-result', profile);
    if (!box) return;
    box.textContent = '';
    var head = document.createElement('p');
    var list = document.createElement('ul');
    if (c.state === 'completed' && c.result) {
      head.textContent = c.result.ok ? t('check.ok') : t('check.fail');
      head.className = c.result.ok ? 'ok' : 'warn';
      c.result.items.forEach(function (i) {
        var li = document.createElement('li');
        li.className = 'check-' + i.level;
        // the API words each item in this page's language (an older worker's items carry `what`)
        var vars = {
          mark: { ok: '✓', warn: '!', fail: '✗' }[i.level] || '',
          title: i.title || i.what || '',
          detail: i.detail || '',
          fix: i.fix || '',
        };
        li.textContent = t(i.fix ? 'check.lineFix' : 'check.line', vars).trim();
        list.appendChild(li);
      });
    } else if (c.state === 'failed') {
      // the API words the failure in this page's language and keeps its stable code
      head.textContent = t('check.failedWith', { reason: c.error.text, code: c.error.code });
      head.className = 'warn';
    } else {
      head.textContent = t('check.running');
    }
    box.appendChild(head);
    box.appendChild(list);
  }
  function pollCheck(profile, id) {
    api('GET', '/api/checks/' + encodeURIComponent(id)).then(
      function (c) {
        showCheck(profile, c);
        if (c.state !== 'completed' && c.state !== 'failed')
          setTimeout(function () {
            pollCheck(profile, id);
          }, 1000);
      },
      function (e) {
        say(profile, t('msg.failed', { reason: e.message }));
      },
    );
  }
  document.addEventListener('click', function (ev) {
    var b = ev.target.closest('button[data-action]');
    if (!b) return;
    var profile = b.getAttribute('data-profile');
    var run = b.getAttribute('data-run');
    var action = b.getAttribute('data-action');
    var fail = function (e) {
      if (profile) say(profile, t('msg.failed', { reason: e.message }));
      else alert(e.message);
    };
    b.disabled = true;
    var done = function () {
      b.disabled = false;
    };
    if (action === 'sync' || action === 'preview') {
      api('POST', '/api/profiles/' + encodeURIComponent(profile) + '/sync', { dryRun: action === 'preview' })
        .then(function (r) {
          say(profile, t(r.existing ? 'msg.existing' : 'msg.started', { runId: r.runId }));
          watch(profile);
        }, fail)
        .then(done);
    } else if (action === 'check') {
      showCheck(profile, { state: 'waiting' });
      api('POST', '/api/profiles/' + encodeURIComponent(profile) + '/check')
        .then(function (r) {
          pollCheck(profile, r.checkId);
        }, fail)
        .then(done);
    } else if (action === 'approve' || action === 'reject') {
      api('POST', '/api/runs/' + encodeURIComponent(run) + '/' + action)
        .then(function () {
          location.reload();
        }, fail)
        .then(done);
    }
  });
  document.querySelectorAll('ul.live[data-profile]').forEach(function (ul) {
    if (!ul.querySelector('li.none')) watch(ul.getAttribute('data-profile'));
  });
})();
