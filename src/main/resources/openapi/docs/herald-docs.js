// Swagger UI over Herald's own description. validatorUrl null: no request to validator.swagger.io (nothing leaves
// Herald's origin, and the page's Content-Security-Policy allows nothing else).
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    persistAuthorization: false,
    tryItOutEnabled: false
  });
};
