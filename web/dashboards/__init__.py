"""The dashboards, composed in the web layer from each app's selectors."""
