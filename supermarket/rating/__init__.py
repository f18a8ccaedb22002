"""Star rating: rounds, self-assessment with evidence, district review, on-site check, publicity and
objections, the decision and its certificate, yearly checks and findings (issue 12)."""
