// kg browser: search suggestions as you type (the forms work without this script).
(function () {
  "use strict";
  function attach(input) {
    var form = input.form, list = form.querySelector(".suggest"), timer = null, seq = 0, active = -1;
    if (!list) return;
    function clear() { list.hidden = true; list.textContent = ""; active = -1; }
    function show(hits) {
      list.textContent = "";
      hits.forEach(function (hit) {
        var li = document.createElement("li"), a = document.createElement("a"), dot = document.createElement("span");
        dot.className = "dot"; dot.style.setProperty("--c", hit.color);
        a.href = hit.url; a.appendChild(dot); a.appendChild(document.createTextNode(hit.label));
        var meta = document.createElement("span"); meta.className = "muted";
        meta.textContent = hit.curie + " · " + hit.category + (hit.matched ? " · " + hit.kind + ": " + hit.matched : "");
        a.appendChild(meta); li.appendChild(a); list.appendChild(li);
      });
      list.hidden = hits.length === 0; active = -1;
    }
    input.addEventListener("input", function () {
      var q = input.value.trim();
      clearTimeout(timer);
      if (!q) { clear(); return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch("/search?format=json&q=" + encodeURIComponent(q)).then(function (r) { return r.json(); })
          .then(function (data) { if (mine === seq) show(data.hits); }).catch(clear);
      }, 120);
    });
    input.addEventListener("keydown", function (ev) {
      var links = list.querySelectorAll("a");
      if (!links.length || list.hidden) return;
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        if (active >= 0) links[active].classList.remove("active");
        active = (active + (ev.key === "ArrowDown" ? 1 : links.length - 1)) % links.length;
        links[active].classList.add("active");
      } else if (ev.key === "Enter" && active >= 0) {
        ev.preventDefault(); window.location.href = links[active].href;
      } else if (ev.key === "Escape") { clear(); }
    });
    document.addEventListener("click", function (ev) { if (!form.contains(ev.target)) clear(); });
  }
  document.querySelectorAll("form.search input[type=search]").forEach(attach);
})();
