// The App Bridge stand-in: what Shopify's app-bridge.js gives an embedded app, for a page the shop
// simulator opens top-level instead of inside Shopify admin. A classic script, served at
// APP_BRIDGE_URL; it must run before the app hydrates, as Shopify's does.
//
// Provides the `shopify` global (config, idToken, toast, loading, saveBar, modal), Bearer session
// tokens on the app's own fetches with one retry when the app asks for it, the bounce page's
// reload with a fresh id_token, and the ui-nav-menu, ui-title-bar, ui-save-bar and ui-modal
// elements. Session tokens come from the simulator (GET /_sim/session-token), which signs them
// with the app's secret exactly as Shopify admin does.
(function () {
  "use strict";

  if (window.shopify && window.shopify.__standIn) return;

  var script = document.currentScript;
  var scriptUrl = script && script.src ? script.src : findScriptUrl();
  var simulatorOrigin = new URL(scriptUrl, location.href).origin;
  var apiKey = (script && script.getAttribute("data-api-key")) || "";
  var originalFetch = window.fetch.bind(window);
  var RETRY_HEADER = "X-Shopify-Retry-Invalid-Session-Request";
  var REAUTHORIZE_HEADER = "X-Shopify-API-Request-Failure-Reauthorize-Url";
  var STORAGE_KEY = "shopify-app-bridge-stand-in";

  function findScriptUrl() {
    var scripts = document.querySelectorAll("script[src]");
    for (var i = 0; i < scripts.length; i++) {
      if (/\/app-bridge\.js(\?|$)/.test(scripts[i].src)) return scripts[i].src;
    }
    return location.href;
  }

  // --- Where we are: Shopify admin passes shop and host on the first load; later client-side
  // navigations drop them, so remember them for this tab as admin's frame would know them.
  var params = new URLSearchParams(location.search);
  var remembered = readMemory();
  var host = params.get("host") || remembered.host || "";
  var shop = params.get("shop") || shopFromHost(host) || remembered.shop || "";
  // shopify.config.locale: the admin language admin passed as `locale` on the first load.
  var locale = params.get("locale") || remembered.locale || "en";
  writeMemory({ shop: shop, host: host, locale: locale, bounces: remembered.bounces || [] });

  function readMemory() {
    try {
      return JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "{}");
    } catch (_error) {
      return {};
    }
  }

  function writeMemory(value) {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    } catch (_error) {
      // Storage can be unavailable (privacy settings); the URL parameters still work.
    }
  }

  function shopFromHost(value) {
    try {
      var match = /^admin\.shopify\.com\/store\/([a-z0-9-]+)/.exec(atob(value));
      return match ? match[1] + ".myshopify.com" : "";
    } catch (_error) {
      return "";
    }
  }

  // --- Session tokens. Each call mints a new one-minute token, as App Bridge hands a fresh one
  // to every request; concurrent callers share one round trip.
  var pendingToken = null;

  function idToken() {
    if (pendingToken) return pendingToken;
    if (!shop) {
      return Promise.reject(
        new Error(
          "App Bridge stand-in: no shop known; open the app through the simulator's /_sim/open?shop=...",
        ),
      );
    }
    var url =
      simulatorOrigin +
      "/_sim/session-token?shop=" +
      encodeURIComponent(shop) +
      "&client_id=" +
      encodeURIComponent(apiKey);
    pendingToken = originalFetch(url, { credentials: "omit", cache: "no-store" })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (body) {
            if (!response.ok || typeof body.token !== "string") {
              throw new Error(
                "App Bridge stand-in: the simulator gave no session token for " +
                  shop +
                  " (" +
                  response.status +
                  "): " +
                  (body.error || "no reason given"),
              );
            }
            return body.token;
          });
      })
      .finally(function () {
        pendingToken = null;
      });
    return pendingToken;
  }

  // --- fetch: the app's own requests carry `Authorization: Bearer <session token>`. When the app
  // answers 401 with the retry header (its token check failed), fetch a new token and retry once.
  function isAppRequest(request) {
    return new URL(request.url, location.href).origin === location.origin;
  }

  function withToken(request) {
    return idToken().then(function (token) {
      var headers = new Headers(request.headers);
      headers.set("Authorization", "Bearer " + token);
      return originalFetch(request, { headers: headers });
    });
  }

  function followReauthorize(response) {
    var destination = response.headers.get(REAUTHORIZE_HEADER);
    if (destination) window.open(destination, "_top");
    return response;
  }

  window.fetch = function (input, init) {
    var request;
    try {
      request = new Request(input, init);
    } catch (_error) {
      return originalFetch(input, init);
    }
    if (!isAppRequest(request) || request.headers.has("Authorization")) {
      return originalFetch(request);
    }
    var retry = request.clone();
    return withToken(request)
      .then(function (response) {
        if (response.status === 401 && response.headers.get(RETRY_HEADER) === "1") {
          return withToken(retry);
        }
        return response;
      })
      .then(followReauthorize);
  };

  // --- The bounce page (/auth/session-token?shopify-reload=URL): the app asks for the page to be
  // loaded again with a fresh id_token. A loop (the app never accepting our tokens) is stopped
  // after a few tries with a message, instead of reloading forever.
  var reload = params.get("shopify-reload");
  if (reload) bounce(reload);

  function bounce(destination) {
    var target;
    try {
      target = new URL(destination, location.href);
    } catch (_error) {
      console.error("App Bridge stand-in: shopify-reload is not a URL: " + destination);
      return;
    }
    if (target.origin !== location.origin) {
      console.error(
        "App Bridge stand-in: refusing to reload into another origin: " + target.origin,
      );
      return;
    }
    var now = Date.now();
    var memory = readMemory();
    var recent = (memory.bounces || []).filter(function (at) {
      return now - at < 15000;
    });
    if (recent.length >= 3) {
      console.error(
        "App Bridge stand-in: the app rejected 3 session tokens in a row; stopping the reload loop. " +
          "Check that the app and the simulator share SHOPIFY_API_KEY and SHOPIFY_API_SECRET.",
      );
      return;
    }
    memory.bounces = recent.concat(now);
    writeMemory(memory);
    idToken().then(
      function (token) {
        target.searchParams.set("id_token", token);
        location.replace(target.toString());
      },
      function (error) {
        console.error(error.message);
      },
    );
  }

  // --- Visible pieces: admin draws these around the app's frame; here they are drawn on the page.
  // Nothing is added to the page's own DOM before the app hydrates (React would see a mismatch):
  // custom elements draw in their shadow roots, overlays are added on first use.
  var FONT =
    "font-family:-apple-system,BlinkMacSystemFont,'San Francisco','Segoe UI',Roboto,'Helvetica Neue',sans-serif;";

  function overlayRoot() {
    var root = document.getElementById("shopify-stand-in-overlays");
    if (!root) {
      root = document.createElement("div");
      root.id = "shopify-stand-in-overlays";
      document.body.appendChild(root);
    }
    return root;
  }

  function makeButton(label, primary, onClick) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.style.cssText =
      FONT +
      "font-size:13px;font-weight:600;border-radius:8px;padding:6px 12px;cursor:pointer;margin-left:8px;" +
      (primary
        ? "background:#303030;color:#fff;border:1px solid #303030;"
        : "background:#fff;color:#303030;border:1px solid #c9c9c9;");
    button.addEventListener("click", onClick);
    return button;
  }

  // Buttons an element declares (children, or inside <section> groups) drawn by us; a click on
  // ours clicks theirs, so the app's own handlers run. An <a href> becomes shopify:navigate.
  function mirrorActions(source, container) {
    container.textContent = "";
    var actions = source.querySelectorAll(":scope > button, :scope > a, :scope > section > button");
    actions.forEach(function (original) {
      var primary = original.getAttribute("variant") === "primary";
      var copy = makeButton(original.textContent.trim(), primary, function (event) {
        event.preventDefault();
        if (original.tagName === "A") navigate(original);
        else original.click();
      });
      if (original.hasAttribute("disabled")) copy.disabled = true;
      if (original.hasAttribute("loading")) copy.textContent += " …";
      container.appendChild(copy);
    });
  }

  function navigate(anchor) {
    anchor.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true, composed: true }));
  }

  function watch(element, render) {
    var observer = new MutationObserver(render);
    observer.observe(element, {
      childList: true,
      subtree: true,
      attributes: true,
      characterData: true,
    });
    return observer;
  }

  // toast: a message at the bottom of the screen, announced to assistive technology.
  var toastCount = 0;
  var toastTimers = {};

  function toastRegion() {
    var region = document.getElementById("shopify-stand-in-toasts");
    if (!region) {
      region = document.createElement("div");
      region.id = "shopify-stand-in-toasts";
      region.style.cssText =
        "position:fixed;left:50%;bottom:24px;transform:translateX(-50%);z-index:2147483000;display:flex;flex-direction:column;gap:8px;align-items:center;";
      overlayRoot().appendChild(region);
    }
    return region;
  }

  function showToast(message, options) {
    options = options || {};
    var id = "shopify-toast-" + ++toastCount;
    var toast = document.createElement("div");
    toast.id = id;
    toast.setAttribute("role", options.isError ? "alert" : "status");
    toast.setAttribute("aria-live", options.isError ? "assertive" : "polite");
    toast.dataset.shopifyToast = options.isError ? "error" : "info";
    toast.style.cssText =
      FONT +
      "font-size:14px;font-weight:500;color:#fff;border-radius:12px;padding:12px 16px;display:flex;align-items:center;gap:12px;box-shadow:0 4px 12px rgba(0,0,0,.2);" +
      (options.isError ? "background:#8e1f0b;" : "background:#303030;");
    var text = document.createElement("span");
    text.textContent = String(message);
    toast.appendChild(text);
    if (options.action && typeof options.onAction === "function") {
      var action = makeButton(options.action, false, function () {
        options.onAction();
      });
      toast.appendChild(action);
    }
    var dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.setAttribute("aria-label", "Dismiss notification");
    dismiss.textContent = "×";
    dismiss.style.cssText = "background:none;border:0;color:#fff;font-size:18px;cursor:pointer;";
    dismiss.addEventListener("click", function () {
      hideToast(id);
    });
    toast.appendChild(dismiss);
    toast.__onDismiss = options.onDismiss;
    toastRegion().appendChild(toast);
    var duration = typeof options.duration === "number" ? options.duration : 5000;
    toastTimers[id] = setTimeout(function () {
      hideToast(id);
    }, duration);
    return id;
  }

  function hideToast(id) {
    clearTimeout(toastTimers[id]);
    delete toastTimers[id];
    var toast = document.getElementById(id);
    if (!toast) return;
    toast.remove();
    if (typeof toast.__onDismiss === "function") toast.__onDismiss();
  }

  // loading: admin's thin progress bar along the top.
  function setLoading(isLoading) {
    var bar = document.getElementById("shopify-stand-in-loading");
    var on = isLoading === undefined ? true : Boolean(isLoading);
    if (!on) {
      if (bar) bar.remove();
      return;
    }
    if (bar) return;
    bar = document.createElement("div");
    bar.id = "shopify-stand-in-loading";
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-label", "Loading");
    bar.style.cssText =
      "position:fixed;top:0;left:0;height:3px;width:100%;z-index:2147483001;background:linear-gradient(90deg,#303030 0%,#8a8a8a 50%,#303030 100%);background-size:200% 100%;animation:shopify-stand-in-loading 1s linear infinite;";
    if (!document.getElementById("shopify-stand-in-loading-style")) {
      var style = document.createElement("style");
      style.id = "shopify-stand-in-loading-style";
      style.textContent =
        "@keyframes shopify-stand-in-loading{from{background-position:200% 0}to{background-position:0 0}}";
      overlayRoot().appendChild(style);
    }
    overlayRoot().appendChild(bar);
  }

  // --- Custom elements.
  function defineElement(name, constructor) {
    if (!customElements.get(name)) customElements.define(name, constructor);
  }

  function byId(tag, id) {
    var element = document.getElementById(id);
    if (!element || element.tagName.toLowerCase() !== tag) {
      return Promise.reject(new Error("App Bridge stand-in: no <" + tag + "> with id " + id));
    }
    return element;
  }

  // ui-nav-menu: admin lists the app's pages in its sidebar; a click there dispatches
  // shopify:navigate on the app's own <a>, which the app's router follows.
  class NavMenu extends HTMLElement {
    connectedCallback() {
      if (!this.shadowRoot) {
        var root = this.attachShadow({ mode: "open" });
        root.innerHTML =
          "<style>" +
          ":host{display:block}" +
          "nav{" +
          FONT +
          // On a phone admin folds its menu away; the stand-in wraps so the page never scrolls sideways.
          "display:flex;flex-wrap:wrap;align-items:center;gap:4px;padding:8px 16px;background:#1a1a1a;color:#e3e3e3;font-size:13px}" +
          "a{color:#e3e3e3;text-decoration:none;padding:6px 10px;border-radius:8px;white-space:nowrap}" +
          "a:hover{background:#303030}a[aria-current=page]{background:#404040;color:#fff;font-weight:600}" +
          "a.home{font-weight:650;color:#fff;margin-right:12px}" +
          "</style><nav aria-label='App navigation'></nav>";
        this._observer = watch(this, this.render.bind(this));
        window.addEventListener("popstate", this.render.bind(this));
      }
      this.render();
    }

    disconnectedCallback() {
      if (this._observer) this._observer.disconnect();
    }

    render() {
      var nav = this.shadowRoot.querySelector("nav");
      nav.textContent = "";
      var rerender = this.render.bind(this);
      this.querySelectorAll(":scope > a[href]").forEach(function (original) {
        var link = document.createElement("a");
        link.href = original.getAttribute("href");
        link.textContent = original.textContent.trim();
        if (original.getAttribute("rel") === "home") link.className = "home";
        if (new URL(link.href).pathname === location.pathname)
          link.setAttribute("aria-current", "page");
        link.addEventListener("click", function (event) {
          event.preventDefault();
          navigate(original);
          setTimeout(rerender, 0);
        });
        nav.appendChild(link);
      });
    }
  }

  // ui-title-bar: admin's title bar above the app. Inside a ui-modal it only names the modal.
  class TitleBar extends HTMLElement {
    connectedCallback() {
      if (this.closest("ui-modal")) return;
      if (!this.shadowRoot) {
        var root = this.attachShadow({ mode: "open" });
        root.innerHTML =
          "<style>:host{display:block;margin-bottom:16px}" +
          "header{" +
          FONT +
          "display:flex;align-items:center;justify-content:space-between;padding:10px 16px;background:#ebebeb;border-radius:12px}" +
          ".title{font-size:14px;font-weight:650;color:#303030}</style>" +
          // Not a heading: admin's title bar is outside the app's document outline.
          "<header><div class='title'></div><div class='actions'></div></header>";
        this._observer = watch(this, this.render.bind(this));
      }
      this.render();
    }

    static get observedAttributes() {
      return ["title"];
    }

    attributeChangedCallback() {
      if (this.shadowRoot) this.render();
    }

    disconnectedCallback() {
      if (this._observer) this._observer.disconnect();
    }

    render() {
      this.shadowRoot.querySelector(".title").textContent = this.getAttribute("title") || "";
      mirrorActions(this, this.shadowRoot.querySelector(".actions"));
    }
  }

  // ui-save-bar: admin's contextual save bar across the top while the app has unsaved changes.
  class SaveBar extends HTMLElement {
    constructor() {
      super();
      // An empty shadow root keeps the declared buttons out of the page; the bar shows copies.
      this.attachShadow({ mode: "open" });
      this._bar = null;
      this._observer = null;
    }

    get showing() {
      return Boolean(this._bar);
    }

    show() {
      if (!this._bar) {
        var bar = document.createElement("div");
        bar.setAttribute("role", "region");
        bar.setAttribute("aria-label", "Unsaved changes");
        bar.dataset.shopifySaveBar = this.id || "";
        bar.style.cssText =
          FONT +
          "position:fixed;top:0;left:0;right:0;z-index:2147482000;display:flex;align-items:center;justify-content:space-between;padding:10px 16px;background:#1a1a1a;color:#fff;font-size:14px;font-weight:600;";
        var label = document.createElement("span");
        label.textContent = "Unsaved changes";
        var actions = document.createElement("div");
        bar.appendChild(label);
        bar.appendChild(actions);
        this._bar = bar;
        overlayRoot().appendChild(bar);
        this._observer = watch(this, this.render.bind(this));
        this.render();
        this.dispatchEvent(new Event("show"));
      }
      return Promise.resolve();
    }

    hide() {
      if (this._bar) {
        this._bar.remove();
        this._bar = null;
        if (this._observer) this._observer.disconnect();
        this.dispatchEvent(new Event("hide"));
      }
      return Promise.resolve();
    }

    toggle() {
      return this.showing ? this.hide() : this.show();
    }

    render() {
      if (!this._bar) return;
      mirrorActions(this, this._bar.lastChild);
    }

    disconnectedCallback() {
      this.hide();
    }
  }

  // ui-modal: admin's modal over the app. `content` is where App Bridge React portals children.
  var SIZES = { small: "380px", base: "620px", large: "980px", max: "calc(100vw - 32px)" };

  class Modal extends HTMLElement {
    constructor() {
      super();
      // An empty shadow root keeps the declared title bar and buttons out of the page.
      this.attachShadow({ mode: "open" });
      this._overlay = null;
      this._content = document.createElement("div");
      this._onKey = this._onKey.bind(this);
    }

    get content() {
      return this._content;
    }

    get open() {
      return Boolean(this._overlay);
    }

    show() {
      if (this._overlay) return Promise.resolve();
      var hide = this.hide.bind(this);
      var overlay = document.createElement("div");
      overlay.dataset.shopifyModal = this.id || "";
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147482500;background:rgba(0,0,0,.5);display:flex;align-items:center;justify-content:center;";
      overlay.addEventListener("click", function (event) {
        if (event.target === overlay) hide();
      });
      var dialog = document.createElement("div");
      dialog.setAttribute("role", "dialog");
      dialog.setAttribute("aria-modal", "true");
      dialog.style.cssText =
        FONT +
        "background:#fff;border-radius:16px;box-shadow:0 8px 32px rgba(0,0,0,.3);max-height:calc(100vh - 64px);display:flex;flex-direction:column;width:" +
        (SIZES[this.getAttribute("variant")] || SIZES.base) +
        ";max-width:calc(100vw - 32px);";
      var header = document.createElement("div");
      header.style.cssText =
        "display:flex;align-items:center;justify-content:space-between;padding:12px 16px;border-bottom:1px solid #ebebeb;background:#f3f3f3;border-radius:16px 16px 0 0;";
      var title = document.createElement("h2");
      title.style.cssText = "font-size:14px;font-weight:650;margin:0;";
      var close = document.createElement("button");
      close.type = "button";
      close.setAttribute("aria-label", "Close");
      close.textContent = "×";
      close.style.cssText = "background:none;border:0;font-size:20px;cursor:pointer;";
      close.addEventListener("click", function () {
        hide();
      });
      header.appendChild(title);
      header.appendChild(close);
      var body = document.createElement("div");
      body.style.cssText = "overflow:auto;flex:1;";
      if (this.getAttribute("src")) {
        var frame = document.createElement("iframe");
        frame.src = this.getAttribute("src");
        frame.style.cssText = "border:0;width:100%;height:60vh;";
        body.appendChild(frame);
      } else {
        body.appendChild(this._content);
      }
      var footer = document.createElement("div");
      footer.style.cssText =
        "display:flex;justify-content:flex-end;padding:12px 16px;border-top:1px solid #ebebeb;";
      dialog.appendChild(header);
      dialog.appendChild(body);
      dialog.appendChild(footer);
      overlay.appendChild(dialog);
      this._overlay = overlay;
      this._title = title;
      this._footer = footer;
      dialog.setAttribute("aria-label", this._titleText());
      this._observer = watch(this, this.render.bind(this));
      this.render();
      overlayRoot().appendChild(overlay);
      document.addEventListener("keydown", this._onKey);
      this.dispatchEvent(new Event("show"));
      return Promise.resolve();
    }

    hide() {
      if (!this._overlay) return Promise.resolve();
      this._overlay.remove();
      this._overlay = null;
      if (this._observer) this._observer.disconnect();
      document.removeEventListener("keydown", this._onKey);
      this.dispatchEvent(new Event("hide"));
      return Promise.resolve();
    }

    toggle() {
      return this.open ? this.hide() : this.show();
    }

    _titleText() {
      var bar = this.querySelector(":scope > ui-title-bar");
      return (bar && bar.getAttribute("title")) || "";
    }

    _onKey(event) {
      if (event.key === "Escape") this.hide();
    }

    render() {
      if (!this._overlay) return;
      this._title.textContent = this._titleText();
      var bar = this.querySelector(":scope > ui-title-bar");
      this._footer.textContent = "";
      if (bar) mirrorActions(bar, this._footer);
      this._footer.style.display = this._footer.childNodes.length ? "flex" : "none";
    }

    disconnectedCallback() {
      this.hide();
    }
  }

  defineElement("ui-nav-menu", NavMenu);
  defineElement("ui-title-bar", TitleBar);
  defineElement("ui-save-bar", SaveBar);
  defineElement("ui-modal", Modal);

  // --- The global. Anything else Shopify's App Bridge offers is reported once, by name, instead
  // of failing as "undefined is not a function" deep in the app.
  var api = {
    __standIn: true,
    config: { apiKey: apiKey, shop: shop, host: host, locale: locale },
    environment: { embedded: true, mobile: false, pos: false },
    origin: "https://admin.shopify.com",
    idToken: idToken,
    toast: { show: showToast, hide: hideToast },
    loading: setLoading,
    saveBar: {
      show: function (id) {
        return Promise.resolve(byId("ui-save-bar", id)).then(function (bar) {
          return bar.show();
        });
      },
      hide: function (id) {
        return Promise.resolve(byId("ui-save-bar", id)).then(function (bar) {
          return bar.hide();
        });
      },
      toggle: function (id) {
        return Promise.resolve(byId("ui-save-bar", id)).then(function (bar) {
          return bar.toggle();
        });
      },
      leaveConfirmation: function () {
        // Admin shakes a showing save bar instead of leaving; here it flashes it.
        document.querySelectorAll("[data-shopify-save-bar]").forEach(function (bar) {
          bar.animate([{ opacity: 1 }, { opacity: 0.4 }, { opacity: 1 }], { duration: 400 });
        });
        return Promise.resolve();
      },
    },
    modal: {
      show: function (id) {
        return Promise.resolve(byId("ui-modal", id)).then(function (modal) {
          return modal.show();
        });
      },
      hide: function (id) {
        return Promise.resolve(byId("ui-modal", id)).then(function (modal) {
          return modal.hide();
        });
      },
      toggle: function (id) {
        return Promise.resolve(byId("ui-modal", id)).then(function (modal) {
          return modal.toggle();
        });
      },
    },
  };

  var warned = {};
  window.shopify = new Proxy(api, {
    get: function (target, property) {
      if (
        property in target ||
        typeof property !== "string" ||
        property === "then" ||
        property === "toJSON"
      ) {
        return target[property];
      }
      if (!warned[property]) {
        warned[property] = true;
        console.warn("App Bridge stand-in: shopify." + property + " is not simulated.");
      }
      return undefined;
    },
  });
})();
