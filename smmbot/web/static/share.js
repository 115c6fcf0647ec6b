/* smmbot share bar: plain JavaScript, no cookies, no storage, no request but our /api/share. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.getAttribute("data-smmbot")) return;
  var key = script.getAttribute("data-smmbot");
  var api = new URL(script.src).origin + "/api/share";
  var snippetCampaign = script.getAttribute("data-campaign");
  var campaign = snippetCampaign || "share-bar";
  var lang = (document.documentElement.lang || "en").toLowerCase().slice(0, 2);
  var words = {
    en: { label: "Share this page", on: "Share on ", copy: "Copy link", copied: "Link copied" },
    id: { label: "Bagikan halaman ini", on: "Bagikan ke ", copy: "Salin tautan", copied: "Tautan disalin" }
  }[lang === "id" ? "id" : "en"];
  var names = { facebook: "Facebook", x: "X", linkedin: "LinkedIn", whatsapp: "WhatsApp", telegram: "Telegram" };
  var phone = /Android|iPhone|iPad|iPod|Mobile/i.test(navigator.userAgent);

  function pageUrl() {
    var canonical = document.querySelector('link[rel="canonical"]');
    var address = canonical && canonical.href ? canonical.href : location.href;
    return address.split("#")[0];
  }

  function tagged(network) {
    var url = new URL(pageUrl());
    url.searchParams.set("utm_source", network);
    url.searchParams.set("utm_medium", "social");
    url.searchParams.set("utm_campaign", campaign);
    return url.toString();
  }

  function shareUrl(network) {
    var u = encodeURIComponent(tagged(network));
    return {
      facebook: "https://www.facebook.com/sharer/sharer.php?u=" + u,
      x: "https://x.com/intent/post?url=" + u,
      linkedin: "https://www.linkedin.com/sharing/share-offsite/?url=" + u,
      whatsapp: (phone ? "https://wa.me/?text=" : "https://web.whatsapp.com/send?text=") + u,
      telegram: "https://t.me/share/url?url=" + u
    }[network];
  }

  function beacon(network) {
    var data = { k: key, n: network, u: pageUrl() };
    if (snippetCampaign) data.c = snippetCampaign;
    if (navigator.sendBeacon) navigator.sendBeacon(api, JSON.stringify(data));
  }

  function copy(status) {
    var text = tagged("copy");
    var done = function () { status.textContent = words.copied; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { window.prompt(words.copy, text); });
    } else {
      window.prompt(words.copy, text);
    }
  }

  function button(network, status) {
    var item = document.createElement(network === "copy" ? "button" : "a");
    item.className = "smmbot-share__button";
    item.setAttribute("data-network", network);
    if (network === "copy") {
      item.type = "button";
      item.textContent = words.copy;
    } else {
      item.href = shareUrl(network);
      item.target = "_blank";
      item.rel = "noopener noreferrer";
      item.textContent = names[network];
      item.setAttribute("aria-label", words.on + names[network]);
    }
    item.addEventListener("click", function (event) {
      beacon(network);
      if (network === "copy") return copy(status);
      event.preventDefault();
      window.open(shareUrl(network), "_blank", "noopener,noreferrer");
    });
    return item;
  }

  function style() {
    if (document.getElementById("smmbot-share-style")) return;
    var css = document.createElement("style");
    css.id = "smmbot-share-style";
    css.textContent =
      ".smmbot-share{display:flex;flex-wrap:wrap;gap:var(--smmbot-gap,.5em);margin:1em 0;font:inherit}" +
      ".smmbot-share__button{display:inline-block;padding:.45em .9em;border:0;cursor:pointer;" +
      "border-radius:var(--smmbot-radius,.4em);background:var(--smmbot-bg,#1f2937);" +
      "color:var(--smmbot-fg,#fff);font:inherit;font-size:.9em;line-height:1.4;text-decoration:none}" +
      ".smmbot-share__button:hover{filter:brightness(1.15)}" +
      ".smmbot-share__button:focus-visible{outline:3px solid var(--smmbot-focus,#2563eb);outline-offset:2px}" +
      ".smmbot-share__status{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}";
    document.head.appendChild(css);
  }

  function bar() {
    var nav = document.createElement("div");
    nav.className = "smmbot-share";
    nav.setAttribute("role", "group");
    nav.setAttribute("aria-label", words.label);
    var status = document.createElement("span");
    status.className = "smmbot-share__status";
    status.setAttribute("role", "status");
    ["facebook", "x", "linkedin", "whatsapp", "telegram", "copy"].forEach(function (network) {
      nav.appendChild(button(network, status));
    });
    nav.appendChild(status);
    return nav;
  }

  style();
  var places = document.querySelectorAll("[data-smmbot-share]");
  if (places.length) {
    Array.prototype.forEach.call(places, function (place) { place.appendChild(bar()); });
  } else {
    script.parentNode.insertBefore(bar(), script);
  }
})();
