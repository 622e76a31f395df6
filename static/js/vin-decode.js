// New ticket: when the client types the VIN first, say whether it is valid and fill
// Marca and Modelo from it when they are still empty (issue 11). The server checks the
// VIN again on submit; the form works the same without this script.
(function () {
  "use strict";
  var vin = document.getElementById("id_vehicle_vin");
  var hint = document.querySelector("[data-vin-lookup]");
  if (!vin || !hint) { return; }
  var endpoint = hint.getAttribute("data-vin-lookup");
  var brand = document.getElementById("id_vehicle_brand");
  var year = document.getElementById("id_vehicle_year");
  var last = null;

  function fillIfEmpty(field, value) {
    if (field && value && !field.value.trim()) { field.value = value; }
  }

  function lookUp() {
    var value = vin.value.replace(/[\s-]/g, "").toUpperCase();
    if (value === last) { return; }
    last = value;
    if (value.length !== 17) { hint.hidden = true; return; }
    fetch(endpoint + "?vin=" + encodeURIComponent(value), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || last !== value) { return; }
        if (data.valid) {
          fillIfEmpty(brand, data.maker);
          fillIfEmpty(year, data.year);
          hint.textContent = data.hint;
          hint.classList.remove("vin-invalid");
        } else {
          hint.textContent = data.error;
          hint.classList.add("vin-invalid");
        }
        hint.hidden = !hint.textContent;
      })
      .catch(function () { hint.hidden = true; });
  }

  vin.addEventListener("input", lookUp);
  vin.addEventListener("change", lookUp);
})();
