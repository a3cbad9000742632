// Loaded in the head, before the page is drawn: styles that need JavaScript (a filter form
// folded behind its button, site.css) apply only when it runs, and without a flash of the
// other layout first.
document.documentElement.classList.add("js");
