/* The live plan (samenplan/plans/live.py): when the poll's notice says something changed,
   "Vernieuwen" fetches only the parts of the plan page whose state changed and swaps them in,
   except a part in which the reader is typing: that one stays as it is, and says so.
   New parts appear in their place, parts that are gone (or now hidden) disappear.
   Without JavaScript "Vernieuwen" is a link that loads the plan page again. */
(function () {
  "use strict";

  function typedIn(part) {
    var fields = part.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "hidden" || field.type === "submit" || field.type === "button") continue;
      if (field.tagName === "SELECT") {
        for (var j = 0; j < field.options.length; j++) {
          if (field.options[j].selected !== field.options[j].defaultSelected) return true;
        }
      } else if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked !== field.defaultChecked) return true;
      } else if (field.value !== field.defaultValue) {
        return true;
      }
    }
    return false;
  }

  function statesIn(root) {
    var states = {};
    root.querySelectorAll("[data-live-part]").forEach(function (el) {
      states[el.getAttribute("data-live-part")] = el.getAttribute("data-live-state") || "";
    });
    return states;
  }

  function pagePart(key) {
    return document.querySelector("main [data-live-part='" + key + "']:not(#plan-stand *)");
  }

  function markTyping(part, message) {
    if (part.querySelector(":scope > [data-live-typing]")) return;
    var note = message.cloneNode(true);
    note.removeAttribute("id");
    note.hidden = false;
    note.setAttribute("data-live-typing", "");
    note.className = "live-typing";
    note.setAttribute("role", "status");
    part.insertBefore(note, part.firstChild);
  }

  function place(group, keys, fresh, kept) {
    // the group's parts in the order of `keys`: fresh ones swapped in or added, gone ones out
    var container = document.querySelector("[data-live-group='" + group + "']");
    var previous = null;
    keys.forEach(function (key) {
      var node = fresh[key] || pagePart(key);
      if (!node) return;
      if (fresh[key]) {
        var old = pagePart(key);
        if (old) old.replaceWith(node); else if (container) container.appendChild(node);
        if (window.htmx) window.htmx.process(node);
      }
      if (container && node.parentNode === container) {
        var wanted = previous ? previous.nextElementSibling : container.firstElementChild;
        if (wanted !== node) container.insertBefore(node, wanted);
      }
      previous = node;
    });
    if (!container) return;
    Array.prototype.slice.call(container.children).forEach(function (el) {
      var key = el.getAttribute("data-live-part");
      if (key && keys.indexOf(key) < 0 && !kept[key]) el.remove();
    });
  }

  function refresh(link) {
    var notice = document.getElementById("plan-veranderd");
    var now = statesIn(document.getElementById("plan-stand"));
    var before = {};
    document.querySelectorAll("main [data-live-part]").forEach(function (el) {
      if (!el.closest("#plan-stand")) before[el.getAttribute("data-live-part")] = el.getAttribute("data-live-state") || "";
    });
    var typing = document.getElementById("plan-aan-het-typen");
    var wanted = [], kept = {};
    Object.keys(now).concat(Object.keys(before)).forEach(function (key) {
      if (wanted.indexOf(key) >= 0 || kept[key] || (now[key] || "") === (before[key] || "")) return;
      var part = pagePart(key);
      if (part && typedIn(part)) {
        kept[key] = true;
        markTyping(part, typing);
      } else {
        wanted.push(key);
      }
    });
    var query = wanted.map(function (key) { return "deel=" + encodeURIComponent(key); }).join("&");
    fetch(link.getAttribute("data-live-parts-url") + "?" + query,
          {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html;
        var answer = template.content;
        answer.querySelectorAll("[data-live-order]").forEach(function (order) {
          var fresh = {};
          Array.prototype.slice.call(order.children).forEach(function (el) {
            var key = el.getAttribute("data-live-part");
            if (key && wanted.indexOf(key) >= 0) fresh[key] = el;
          });
          var keys = (order.getAttribute("data-live-keys") || "").split(" ").filter(Boolean);
          place(order.getAttribute("data-live-order"), keys, fresh, kept);
        });
        var poll = answer.querySelector("#plan-veranderd");
        if (poll && notice) {
          if (Object.keys(kept).length) {
            var note = typing.cloneNode(true);
            note.hidden = false;
            poll.appendChild(note);
          }
          notice.replaceWith(poll);
          if (window.htmx) window.htmx.process(poll);
        }
      })
      .catch(function () {
        var failed = document.getElementById("plan-vernieuwen-mislukt");
        if (failed) failed.hidden = false;
      });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#plan-vernieuwen[data-live-parts-url]");
    if (!link || !window.fetch || !("content" in document.createElement("template"))) return;
    event.preventDefault();
    refresh(link);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    // with this script nothing typed is lost: the advice for a page without it is not needed
    var advice = event.target && event.target.querySelector && event.target.querySelector("#plan-veranderd-uitleg");
    if (advice) advice.hidden = true;
  });
})();
