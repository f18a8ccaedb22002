// The till's service worker (served at /sales/sw.js, scope /sales/): the till opens with no network once it has
// been opened online on this tablet. The till page is fetched network first (a fresh page and CSRF token
// whenever the server answers) and falls back to its last copy; the static files it uses (scripts, styles,
// fonts, icons) come from the cache and are refreshed in the background. Nothing else is cached: the API, the
// other pages and every POST go to the network untouched, so a sale is never answered from a cache.
"use strict";
var CACHE = "till-v1";
var TILL = new URL("till", self.registration.scope).pathname;
var NETWORK_WAIT_MS = 4000;  // Wi-Fi that is up with no way out hangs rather than fails: give up on it soon

self.addEventListener("install", function (ev) {
  ev.waitUntil(caches.open(CACHE).then(function (cache) { return cache.add(TILL); }).catch(function () {})
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (ev) {
  ev.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("till-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// The page lists what it loaded (performance entries) once it runs: fonts and styles the first visit fetched
// before this worker controlled it are cached too.
self.addEventListener("message", function (ev) {
  var data = ev.data || {};
  if (data.type !== "cache-assets" || !Array.isArray(data.urls)) { return; }
  ev.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(data.urls.filter(isAsset).map(function (url) {
      return cache.match(url).then(function (hit) { return hit || cache.add(url).catch(function () {}); });
    }));
  }));
});

function isAsset(url) {
  var u = new URL(url, self.location.href);
  return u.origin === self.location.origin && u.pathname.indexOf("/static/") === 0;
}

function timeout(ms) {
  return new Promise(function (resolve, reject) { setTimeout(function () { reject(new Error("timeout")); }, ms); });
}

function tillPage(request) {
  return Promise.race([fetch(request), timeout(NETWORK_WAIT_MS)]).then(function (resp) {
    // Only the till itself is kept: a redirect to the login page or a server error is not a till.
    if (resp.ok && !resp.redirected) {
      var copy = resp.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(TILL, copy); });
      return resp;
    }
    if (resp.status >= 500) { throw new Error("server"); }
    return resp;
  }).catch(function () {
    return caches.match(TILL).then(function (hit) { return hit || Response.error(); });
  });
}

function asset(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, {ignoreSearch: false}).then(function (hit) {
      var fresh = fetch(request).then(function (resp) {
        if (resp.ok) { cache.put(request, resp.clone()); }
        return resp;
      });
      if (hit) { fresh.catch(function () {}); return hit; }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (ev) {
  var request = ev.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && url.pathname === TILL) { ev.respondWith(tillPage(request)); return; }
  if (isAsset(request.url)) { ev.respondWith(asset(request)); }
});
