// Progressive enhancement: with the vendored YASGUI present, replace the plain form.
(function () {
  var form = document.getElementById("query-form");
  var query = form.querySelector("textarea").value;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: new URL(form.getAttribute("action"), location.href).href, method: "POST" },
    copyEndpointOnNewTab: false,
  });
  yasgui.getTab().setQuery(query);
  form.hidden = true;
})();
