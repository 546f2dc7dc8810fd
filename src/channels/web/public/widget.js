// CivicDesk web chat widget. One tag on the bureau's site:
//   <script src="https://chat.example.gov.cn/chat/widget.js" defer></script>
// adds a floating "在线咨询" button that opens the chat in an iframe. The
// chat's server only lets the page be framed by origins in WEB_CHAT_ORIGINS.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__civicdeskWidget) return;
  window.__civicdeskWidget = true;
  var base = new URL('/chat/', script.src);
  var english = /^en\b/i.test(document.documentElement.lang || '');
  var label = script.getAttribute('data-label') || (english ? 'Online help' : '在线咨询');
  var closeLabel = english ? 'Close' : '关闭';

  var button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'civicdesk-chat');
  var b = button.style;
  b.position = 'fixed'; b.right = '16px'; b.bottom = '16px'; b.zIndex = '2147483000';
  b.background = '#0b57d0'; b.color = '#fff'; b.border = '0'; b.borderRadius = '24px';
  b.padding = '12px 20px'; b.font = '16px/1.2 sans-serif'; b.boxShadow = '0 2px 8px rgba(0,0,0,.3)'; b.cursor = 'pointer';

  var panel = document.createElement('div');
  panel.id = 'civicdesk-chat';
  panel.hidden = true;
  var p = panel.style;
  p.position = 'fixed'; p.right = '0'; p.bottom = '0'; p.zIndex = '2147483001';
  p.width = 'min(400px, 100vw)'; p.height = 'min(640px, 100vh)'; p.background = '#fff';
  p.boxShadow = '0 4px 16px rgba(0,0,0,.35)';

  var close = document.createElement('button');
  close.type = 'button';
  close.textContent = '×';
  close.setAttribute('aria-label', closeLabel);
  var c = close.style;
  c.position = 'absolute'; c.top = '4px'; c.right = '4px'; c.zIndex = '1'; c.width = '36px'; c.height = '36px';
  c.border = '0'; c.borderRadius = '18px'; c.background = '#fff'; c.color = '#0b57d0'; c.font = '22px/1 sans-serif'; c.cursor = 'pointer';

  var frame = null;
  function open() {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.title = label;
      frame.src = base.href + '?embed=1' + (english ? '&lang=en' : '');
      var f = frame.style;
      f.border = '0'; f.width = '100%'; f.height = '100%'; f.display = 'block';
      panel.appendChild(frame);
    }
    panel.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    button.style.display = 'none';
    frame.focus();
  }
  function hide() {
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    button.style.display = '';
    button.focus();
  }
  button.addEventListener('click', open);
  close.addEventListener('click', hide);
  panel.appendChild(close);
  document.body.appendChild(panel);
  document.body.appendChild(button);
})();
