// Starts Swagger UI on the API's schema (templates/api/docs.html): a file of the site's own,
// as the Content-Security-Policy allows no inline script.
(function () {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    // Not StandaloneLayout: its top bar's logo is an SVG with an inline <style>.
    layout: "BaseLayout",
    // Read-only: no "Try it out" for methods the API does not have, no validator badge.
    supportedSubmitMethods: ["get", "head"],
    validatorUrl: null,
  });
})();
