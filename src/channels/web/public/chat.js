// CivicDesk web chat (the /chat/ page). Plain browser JavaScript, no library:
// it must run in current Chromium, Safari/WebKit and WeChat's in-app browser.
// Every text from the server is put in with textContent: nothing a parent or
// the knowledge base wrote is ever parsed as HTML.
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('cd-config').textContent);
  var locale = config.locale;
  var lastId = 0;
  var shown = {};
  var log = document.getElementById('log');
  var input = document.getElementById('input');
  var form = document.getElementById('composer');
  var send = document.getElementById('send');
  var status = document.getElementById('status');
  var pending = false;
  // What the message being sent says (what(body)), and the presses made meanwhile (see post).
  var sending = null;
  var pressed = [];
  var source = null;
  var pollTimer = null;
  var streamFailures = 0;

  function s(key) {
    return config.strings[locale][key] || config.strings.zh[key] || '';
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    var out = '';
    for (var i = 0; i < bytes.length; i++) out += ('0' + bytes[i].toString(16)).slice(-2);
    return out;
  }

  // ---- a message whose answer never came ----
  // Its id is kept (in this tab, across a reload) until an answer comes: sending the same message again reuses it,
  // so the server knows it is the same message and gives the answer it had (the case code), never a second case.
  var UNSENT = 'civicdesk.unsent';
  function what(body) {
    return JSON.stringify([body.text, body.button, body.menu, body.lang]);
  }
  function unsent() {
    try {
      var kept = JSON.parse(window.sessionStorage.getItem(UNSENT) || 'null');
      return kept && typeof kept.id === 'string' && typeof kept.what === 'string' ? kept : null;
    } catch {
      return null;
    }
  }
  function keepUnsent(kept) {
    try {
      if (kept) window.sessionStorage.setItem(UNSENT, JSON.stringify(kept));
      else window.sessionStorage.removeItem(UNSENT);
    } catch {
      // Storage refused (private mode): the id lives as long as this page.
    }
  }
  function idFor(body) {
    var kept = unsent();
    return kept && kept.what === what(body) ? kept.id : randomId();
  }

  // ---- message times, in the bureau's TIMEZONE ----
  // Today's messages show HH:MM, earlier ones their date too ("12月5日 14:03", "Dec 5 14:03"; another year's with
  // the year). Today is the server's day in TIMEZONE: its clock when the page was served, run on by the browser's.
  var clockOffset = Date.parse(config.now) - Date.now();
  if (!isFinite(clockOffset)) clockOffset = 0;
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function partsIn(date) {
    var out = {};
    new Intl.DateTimeFormat('en-US', {
      year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: config.timeZone,
    }).formatToParts(date).forEach(function (p) {
      out[p.type] = p.value;
    });
    return out;
  }
  function timeOf(iso) {
    try {
      var at = partsIn(new Date(iso));
      var today = partsIn(new Date(Date.now() + clockOffset));
      var hm = at.hour + ':' + at.minute;
      if (at.year === today.year && at.month === today.month && at.day === today.day) return hm;
      var sameYear = at.year === today.year;
      var month = Number(at.month);
      var day = Number(at.day);
      if (locale === 'zh') return (sameYear ? '' : at.year + '年') + month + '月' + day + '日 ' + hm;
      return MONTHS[month - 1] + ' ' + day + (sameYear ? '' : ', ' + at.year) + ' ' + hm;
    } catch {
      return '';
    }
  }

  // ---- language of the page itself ----
  function applyStrings() {
    document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
    document.title = s('title');
    document.getElementById('title').textContent = s('title');
    var lang = document.getElementById('lang');
    lang.textContent = s('switch');
    lang.setAttribute('aria-label', s('switchLabel'));
    lang.setAttribute('lang', locale === 'zh' ? 'en' : 'zh-CN');
    log.setAttribute('aria-label', s('log'));
    document.getElementById('input-label').textContent = s('input');
    input.setAttribute('placeholder', s('placeholder'));
    send.textContent = s('send');
    document.getElementById('erase').textContent = s('erase');
    var privacyHref = '/chat/privacy?lang=' + locale;
    ['privacy', 'notice-privacy'].forEach(function (id) {
      var link = document.getElementById(id);
      link.textContent = s('privacy');
      link.setAttribute('href', privacyHref);
    });
    document.getElementById('notice-title').textContent = s('noticeTitle');
    document.getElementById('notice-text').textContent = s('notice');
    document.getElementById('notice-ok').textContent = s('noticeOk');
    var empty = document.getElementById('empty');
    if (empty) empty.textContent = s('empty');
  }

  // ---- rendering ----
  function renderSource(src) {
    var line = el('p', 'source');
    line.appendChild(document.createTextNode(s('source')));
    var label = src.title + (src.section ? ' · ' + src.section : '');
    if (src.url) {
      var link = el('a', null, label);
      link.href = src.url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      line.appendChild(link);
    } else {
      line.appendChild(document.createTextNode(label));
    }
    if (src.updated) line.appendChild(document.createTextNode(' · ' + s('updated').replace('{date}', src.updated)));
    return line;
  }

  function renderMessage(m) {
    var item = el('div', 'msg ' + (m.role === 'parent' ? 'parent' : 'bot'));
    item.setAttribute('data-id', String(m.id));
    var who = el('span', 'sr-only', (m.role === 'parent' ? s('you') : s('bot')) + ': ');
    item.appendChild(who);
    if (m.heading) item.appendChild(el('p', 'heading', m.heading));
    item.appendChild(el('p', 'text', m.text));
    if (m.source) item.appendChild(renderSource(m.source));
    if (m.buttons && m.buttons.length) {
      var group = el('div', 'buttons');
      group.setAttribute('role', 'group');
      m.buttons.forEach(function (row) {
        row.forEach(function (b) {
          var button = el('button', 'choice', b.label);
          button.type = 'button';
          button.addEventListener('click', function () {
            post({ button: b.ref });
          });
          group.appendChild(button);
        });
      });
      item.appendChild(group);
    }
    var time = timeOf(m.at);
    if (time) item.appendChild(el('span', 'time', time));
    return item;
  }

  function add(messages) {
    var atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    messages.forEach(function (m) {
      if (shown[m.id]) return;
      shown[m.id] = true;
      var empty = document.getElementById('empty');
      if (empty) empty.parentNode.removeChild(empty);
      log.appendChild(renderMessage(m));
      if (m.id > lastId) lastId = m.id;
    });
    if (messages.length && (atBottom || pending)) log.scrollTop = log.scrollHeight;
  }

  function reset() {
    shown = {};
    lastId = 0;
    while (log.firstChild) log.removeChild(log.firstChild);
  }

  function setLocale(next) {
    if (next && next !== locale) {
      locale = next;
      applyStrings();
    }
  }

  // ---- talking to the server ----
  function request(method, url, body) {
    var headers = { Accept: 'application/json' };
    if (body) headers['Content-Type'] = 'application/json';
    return fetch(url, { method: method, headers: headers, credentials: 'same-origin', body: body ? JSON.stringify(body) : undefined })
      .then(function (res) {
        return res.text().then(function (raw) {
          // A proxy in front of the bot (nginx while the bot restarts, a gateway timeout, a Wi-Fi login page) answers
          // with a page of its own, not the chat's JSON: the parent gets the chat's own sentence (an empty message
          // here), never the JSON parser's complaint about "<html>" or "HTTP 502".
          var json = null;
          try {
            json = JSON.parse(raw);
          } catch {
            json = null;
          }
          var said = json && typeof json.message === 'string' ? json.message : '';
          if (!res.ok || !json || typeof json !== 'object') throw new Error(said);
          return json;
        });
      });
  }

  function post(body) {
    if (pending) {
      // The answer to the message being sent is pushed on the event stream before its POST returns (the server
      // delivers it first), so its buttons can be pressed while it is still pending: a press (a button, the language,
      // the erase menu) is sent once that message is answered, in order, never dropped. The same press twice (a double
      // tap) is sent once. Typed text stays in the box (the send button is disabled meanwhile).
      var key = what(body);
      var again = key === sending || pressed.some(function (b) { return what(b) === key; });
      if (body.text === undefined && !again) pressed.push(body);
      return Promise.resolve(false);
    }
    pending = true;
    sending = what(body);
    send.disabled = true;
    status.textContent = s('sending');
    body.id = idFor(body);
    keepUnsent({ id: body.id, what: what(body), text: body.text });
    body.after = lastId;
    body.embed = config.embed;
    var attempt = function (left) {
      return request('POST', '/chat/api/messages', body).catch(function (error) {
        // Network failures are retried with the same id: the server handles a message once.
        if (left > 0 && error instanceof TypeError) return attempt(left - 1);
        throw error;
      });
    };
    return attempt(2)
      .then(function (answer) {
        keepUnsent(null);
        if (answer.reset) {
          reset();
          reconnect();
        }
        setLocale(answer.locale);
        add(answer.messages);
        status.textContent = '';
        return true;
      })
      .catch(function (error) {
        status.textContent = error && error.message && !(error instanceof TypeError) ? error.message : s('failed');
        return false;
      })
      .then(function (ok) {
        pending = false;
        sending = null;
        send.disabled = false;
        // After a failure the parent sees why and presses again: what was pressed meanwhile is not sent behind it.
        var next = ok ? pressed.shift() : undefined;
        if (!ok) pressed = [];
        if (next) post(next);
        return ok;
      });
  }

  function poll() {
    return request('GET', '/chat/api/messages?after=' + lastId)
      .then(function (answer) {
        setLocale(answer.locale);
        add(answer.messages);
      })
      .catch(function () {});
  }

  function startPolling() {
    if (pollTimer) return;
    pollTimer = setInterval(poll, 4000);
  }

  function reconnect() {
    if (source) source.close();
    source = null;
    if (!window.EventSource) return startPolling();
    source = new EventSource('/chat/api/events?after=' + lastId);
    source.addEventListener('message', function (event) {
      streamFailures = 0;
      add([JSON.parse(event.data)]);
    });
    source.onopen = function () {
      streamFailures = 0;
      status.textContent = '';
    };
    source.onerror = function () {
      streamFailures += 1;
      // A refused stream (EventSource gives up on a non-200 answer) or a proxy that keeps cutting it: poll instead.
      if (source.readyState === 2 || streamFailures >= 3) {
        source.close();
        source = null;
        startPolling();
      }
    };
  }

  // ---- the composer ----
  function grow() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, Math.round(window.innerHeight * 0.4)) + 'px';
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    post({ text: text }).then(function (ok) {
      if (ok) {
        input.value = '';
        grow();
      }
      input.focus();
    });
  });
  input.addEventListener('input', grow);
  input.addEventListener('keydown', function (event) {
    // Enter sends; Shift+Enter and an IME composing Chinese keep the key.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit();
      else form.dispatchEvent(new Event('submit', { cancelable: true }));
    }
  });

  document.getElementById('lang').addEventListener('click', function () {
    var next = locale === 'zh' ? 'en' : 'zh';
    setLocale(next);
    post({ lang: next });
  });
  document.getElementById('erase').addEventListener('click', function () {
    post({ menu: 'privacy' });
  });
  document.getElementById('notice-ok').addEventListener('click', function () {
    var notice = document.getElementById('notice');
    notice.hidden = true;
    input.focus();
    request('POST', '/chat/api/notice', {}).catch(function () {});
  });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') poll();
  });

  applyStrings();
  // A message typed before a reload whose answer never came is put back, to be sent again with its id.
  var left = unsent();
  if (left && typeof left.text === 'string' && !input.value) input.value = left.text;
  poll().then(reconnect);
})();
