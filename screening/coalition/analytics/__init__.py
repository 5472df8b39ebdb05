"""Coalition analytics: cross-list clusters, scopes, overlap, lag, divergence, hubs, trends and
the HTML report, computed from the official files loaded in the store."""
