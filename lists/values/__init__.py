"""Value normalisers shared by every adapter (and by screening): countries, dates, identifiers,
scripts and languages. Each module turns what an authority wrote into a canonical value, keeping
the original text beside it; none of them knows any list format."""
