// ANTQ's only script, an enhancement: pages work without it.
// After a refused save, the first field in error is brought into view and
// focused, so the user lands on what to correct (the error is written next
// to the field and tied to it by aria-describedby).
document.addEventListener("DOMContentLoaded", function () {
  var bad = document.querySelector('main [aria-invalid="true"]');
  if (!bad) {
    return;
  }
  bad.scrollIntoView({ block: "center" });
  bad.focus({ preventScroll: true });
});
