"""Login sessions and their tokens: issuing, refreshing, revoking, authenticating, throttling."""
