// Sign-up: pre-select the time zone the browser reports, so streaks and due dates
// follow the user's own day without them hunting through a long list.
const select = document.querySelector("select[name=time_zone]");
if (select && select.value === "UTC") {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && [...select.options].some((option) => option.value === zone)) {
    select.value = zone;
  }
}
