"""One router per area of the web pages: auth, alerts, screen, lists."""
